package dev.tollgate.gateway;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;

/**
 * The gateway's view of the control plane: immutable snapshots that the control plane replaces whenever something
 * changes (see {@code ChangeFeed}). The data plane reads only these; a request reads each snapshot once. A
 * {@code @Singleton} (no client proxy) because it is read on every gateway call.
 */
@Singleton
public class GatewayState {

    /** Every API by slug. */
    public record Catalog(Map<String, ApiRoute> bySlug) {
        public Catalog {
            bySlug = Map.copyOf(bySlug);
        }
    }

    /** Every usable key by the hex SHA-256 of its secret. */
    public record Keys(Map<String, ApiKeyRule> byHash) {
        public Keys {
            byHash = Map.copyOf(byHash);
        }
    }

    /** Accounts that differ from the default (free tier, not suspended), by user id. */
    public record Accounts(Map<UUID, AccountRule> byUser) {
        public Accounts {
            byUser = Map.copyOf(byUser);
        }
    }

    private volatile Catalog catalog = new Catalog(Map.of());
    private volatile Keys keys = new Keys(Map.of());
    private volatile Accounts accounts = new Accounts(Map.of());

    public void publish(Catalog next) {
        catalog = next;
    }

    public void publish(Keys next) {
        keys = next;
    }

    public void publish(Accounts next) {
        accounts = next;
    }

    public Catalog catalog() {
        return catalog;
    }

    public Keys keys() {
        return keys;
    }

    public Accounts accounts() {
        return accounts;
    }
}
