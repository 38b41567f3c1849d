package dev.tollgate.accounts;

import java.util.UUID;

/**
 * Fired (CDI event, synchronously) inside the transaction in which an admin changes a user's account tier, so that
 * other features can act on it without accounts depending on them; observers that act only once it commits use
 * {@code TransactionPhase.AFTER_SUCCESS} or a mechanism that defers to the commit. {@code cause} names this change
 * (stable for it, unique among changes), for observers that must act once per change.
 */
public record TierChanged(UUID userId, Tier from, Tier to, String cause) {
}
