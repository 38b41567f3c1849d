package dev.tollgate.gateway.internal;

import java.util.UUID;

/** Keys of the gateway's counters. */
final class LimitKeys {

    private LimitKeys() {
    }

    /** A plan's rate limit counts per key and API. */
    record KeyOnApi(UUID keyId, UUID apiId) {
    }

    /** A tier's hourly cap counts all calls of a consumer. */
    record Consumer(UUID consumerId) {
    }

    /** A subscription plan's included calls count per subscription and paid period. */
    record SubscriptionPeriod(UUID subscriptionId) {
    }

    /** A plan's monthly quota counts per consumer and API. */
    record ConsumerOnApi(UUID consumerId, UUID apiId) {
    }
}
