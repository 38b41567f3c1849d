package dev.tollgate.accounts.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.UserEntity;
import dev.tollgate.gateway.AccountRule;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.platform.ChangeFeed;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes to the gateway the accounts it must treat specially: suspended ones, those above the free tier and admins
 * (not held to a tier's hourly cap). Everyone else is a free, active account, so registrations need no reload.
 */
@ApplicationScoped
class AccountsDeployer {

    private final AccountStore store;
    private final GatewayState gateway;
    private final ChangeFeed changes;

    AccountsDeployer(AccountStore store, GatewayState gateway, ChangeFeed changes) {
        this.store = store;
        this.gateway = gateway;
        this.changes = changes;
    }

    void start(@Observes StartupEvent ignored) {
        changes.subscribe(UserDirectory.TOPIC, version -> {
            version.getAsLong();
            Map<UUID, AccountRule> byUser = new HashMap<>();
            for (UserEntity user : store.notableUsers()) {
                byUser.put(user.id, new AccountRule(user.id, user.plan, user.suspended,
                        user.roleList().contains(Role.ADMIN.id())));
            }
            gateway.publish(new GatewayState.Accounts(byUser));
        });
    }
}
