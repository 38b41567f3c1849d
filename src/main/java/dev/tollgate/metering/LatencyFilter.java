package dev.tollgate.metering;

import java.util.Set;
import java.util.UUID;

/**
 * Whose latency a query merges: the endpoints of some APIs ({@code apiIds} null: every API's; groups by API,
 * endpoint, status class and bucket), one consumer's calls ({@code consumerId}, optionally to some APIs; groups by
 * API and bucket), or the whole platform (groups by bucket only).
 */
public record LatencyFilter(Scope scope, Set<UUID> apiIds, UUID consumerId) {

    public enum Scope {
        ENDPOINTS, CONSUMER, PLATFORM
    }

    public static final LatencyFilter PLATFORM = new LatencyFilter(Scope.PLATFORM, null, null);

    public static LatencyFilter apis(Set<UUID> apiIds) {
        return new LatencyFilter(Scope.ENDPOINTS, apiIds, null);
    }

    public static LatencyFilter consumer(UUID consumerId, Set<UUID> apiIds) {
        return new LatencyFilter(Scope.CONSUMER, apiIds, consumerId);
    }
}
