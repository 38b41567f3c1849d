package dev.tollgate.accounts;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.accounts.internal.PasswordHasher;
import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.UserEntity;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Makes sure an administrator exists after start-up: from {@code TOLLGATE_ADMIN_EMAIL}/{@code _PASSWORD} if set,
 * else with a generated password printed once to standard output (never to the log).
 */
@ApplicationScoped
class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    void ensure(@Observes StartupEvent event, AccountStore store, PasswordHasher passwords, AdminConfig config,
            ChangeFeed changes) {
        boolean generated = config.password().isEmpty();
        String password = config.password().orElseGet(Secrets::password);
        String hash = passwords.hash(password);
        UserEntity admin = QuarkusTransaction.requiringNew().call(() -> {
            if (store.anyUserWithRole(Role.ADMIN.id())) {
                return null;
            }
            String email = config.email().orElse(config.username() + "@tollgate.local");
            UserEntity user = Users.newUser(email, config.username(), hash,
                    List.of(Role.ADMIN.id(), Role.CONSUMER.id(), Role.PROVIDER.id()));
            Users.ensureUnique(store, user.id, user.email, user.usernameKey);
            store.persist(user);
            // the gateway's account snapshot lists admins
            changes.changed(UserDirectory.TOPIC);
            return user;
        });
        if (admin == null) {
            return;
        }
        LOG.infof("Created the first administrator '%s' <%s>", admin.username, admin.email);
        if (generated) {
            System.out.println("""

                    ================================================================
                     Tollgate created the first administrator. This is shown once:
                       username: %s
                       password: %s
                     Change it on /profile (or PUT /api/v1/users/me)
                    ================================================================
                    """.formatted(admin.username, password));
        }
    }
}
