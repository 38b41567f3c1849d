package dev.tollgate.metering.rollup;

import java.util.UUID;

/** What the calls of one {@code usage_rollups} row share, besides their bucket. */
record CallKey(UUID apiId, String endpoint, UUID consumerId, UUID keyId, UUID planId, int statusClass, String country,
        String model) {
}
