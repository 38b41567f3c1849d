package dev.tollgate.gateway;

import java.util.UUID;

/**
 * A consumer account's tier (free, pro, enterprise), whether it is suspended and whether it is an admin (admins are
 * not held to their tier's hourly cap).
 */
public record AccountRule(UUID userId, String tier, boolean suspended, boolean admin) {

    /** An account that is not an admin. */
    public AccountRule(UUID userId, String tier, boolean suspended) {
        this(userId, tier, suspended, false);
    }
}
