package dev.tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.internal.PasswordHasher;
import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.UserEntity;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** A user's own profile: read it, change username, e-mail or password, become a provider. */
@ApplicationScoped
public class Profiles {

    private final AccountStore store;
    private final PasswordHasher passwords;

    Profiles(AccountStore store, PasswordHasher passwords) {
        this.store = store;
        this.passwords = passwords;
    }

    /** What a user may change about themselves; {@code null} fields are left as they are. */
    public record ProfileChange(String username, String email, String password, String currentPassword,
            Boolean becomeProvider) {
    }

    public UserView get(UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.user(userId).map(UserEntity::view)
                .orElseThrow(() -> ProblemException.notFound("No such user.")));
    }

    /**
     * Applies the change. A new password needs the current one ({@code 403} if wrong) and ends the user's other
     * logins.
     */
    public UserView update(UUID userId, UUID currentSession, ProfileChange change) {
        String newHash = null;
        if (change.password() != null) {
            if (change.currentPassword() == null) {
                throw ProblemException.invalid("current_password", "is required to change the password");
            }
            String currentHash = QuarkusTransaction.requiringNew().call(() -> store.user(userId)
                    .map(u -> u.passwordHash).orElseThrow(() -> ProblemException.notFound("No such user.")));
            if (!passwords.matches(change.currentPassword(), currentHash)) {
                throw ProblemException.forbidden("The current password is incorrect.");
            }
            newHash = passwords.hash(change.password());
        }
        String passwordHash = newHash;
        return Users.uniquely(() -> {
            String email = change.email() == null ? null : Users.normalizeEmail(change.email());
            String usernameKey = change.username() == null ? null : change.username().toLowerCase(Locale.ROOT);
            Users.ensureUnique(store, userId, email, usernameKey);
            UserEntity user = store.user(userId).orElseThrow(() -> ProblemException.notFound("No such user."));
            Instant now = Instant.now();
            if (change.username() != null) {
                user.username = change.username();
                user.usernameKey = usernameKey;
            }
            if (email != null) {
                user.email = email;
            }
            if (passwordHash != null) {
                user.passwordHash = passwordHash;
                store.revokeSessionsOf(userId, currentSession, "password_changed", now);
            }
            if (Boolean.TRUE.equals(change.becomeProvider()) && !user.roleList().contains(Role.PROVIDER.id())) {
                List<String> roles = user.roleList();
                roles.add(Role.PROVIDER.id());
                user.setRoleList(roles);
            }
            user.updatedAt = now;
            store.flush();
            return user.view();
        });
    }
}
