package dev.tollgate.metering;

import java.util.Set;
import java.util.UUID;

/**
 * Whose calls and latency a query merges: the endpoints of some APIs ({@code apiIds} null: every API's; groups by
 * API, endpoint, status class and bucket), the consumers of some APIs or one consumer's calls ({@code CONSUMERS};
 * groups by API, consumer and bucket), the countries of some APIs' callers ({@code GEOGRAPHY}; groups by API,
 * country, status class and bucket), or the whole platform (groups by bucket only). These rollups have few rows per
 * bucket, so they answer long windows quickly.
 */
public record LatencyFilter(Scope scope, Set<UUID> apiIds, UUID consumerId) {

    public enum Scope {
        ENDPOINTS, CONSUMER, GEOGRAPHY, PLATFORM
    }

    public static final LatencyFilter PLATFORM = new LatencyFilter(Scope.PLATFORM, null, null);

    public static LatencyFilter apis(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.ENDPOINTS, apiIds, null);
    }

    public static LatencyFilter consumer(UUID consumerId, Set<UUID> apiIds) {
        return new LatencyFilter(Scope.CONSUMER, apiIds, consumerId);
    }

    /** Every consumer of some APIs ({@code null}: of every API). */
    public static LatencyFilter consumers(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.CONSUMER, apiIds, null);
    }

    public static LatencyFilter geography(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.GEOGRAPHY, apiIds, null);
    }
}
