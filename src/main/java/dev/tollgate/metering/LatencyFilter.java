package dev.tollgate.metering;

import java.util.Set;
import java.util.UUID;

/**
 * Which narrow rollups a query reads: rows that hold every count of a set of calls and their latency histogram, few
 * per bucket, so that reports over long windows stay fast. One scope per query: the APIs ({@code APIS}: one row per
 * API and bucket; {@code apiIds} null: every API), their endpoints ({@code ENDPOINTS}: per API and endpoint, with
 * client and server errors as counts), their consumers or one consumer's calls ({@code CONSUMER}: per API and consumer), consumers across every API
 * ({@code CALLERS}: per consumer), their callers' countries ({@code GEOGRAPHY}: per API and country), or
 * the whole platform ({@code PLATFORM}: one row per bucket).
 */
public record LatencyFilter(Scope scope, Set<UUID> apiIds, UUID consumerId) {

    public enum Scope {
        APIS, ENDPOINTS, CONSUMER, CALLERS, GEOGRAPHY, PLATFORM
    }

    public static final LatencyFilter PLATFORM = new LatencyFilter(Scope.PLATFORM, null, null);
    public static final LatencyFilter CALLERS = new LatencyFilter(Scope.CALLERS, null, null);

    public static LatencyFilter apis(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.APIS, apiIds, null);
    }

    public static LatencyFilter endpoints(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.ENDPOINTS, apiIds, null);
    }

    public static LatencyFilter consumer(UUID consumerId, Set<UUID> apiIds) {
        return new LatencyFilter(Scope.CONSUMER, apiIds, consumerId);
    }

    /** Every consumer of some APIs ({@code null}: of every API), per API. */
    public static LatencyFilter consumers(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.CONSUMER, apiIds, null);
    }

    public static LatencyFilter geography(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.GEOGRAPHY, apiIds, null);
    }
}
