package dev.tollgate.billing;

import java.util.UUID;

/** Credit this node holds out of consumers' wallets (a slice of their {@code reserved}) for calls to come. */
public interface HeldCredit {

    /**
     * Micros this node holds for the consumer that no call has taken yet: still the consumer's to spend. Credit
     * reserved by calls in flight, or charged and not yet written, is not included. Thread-safe.
     */
    long unusedMicros(UUID consumerId);
}
