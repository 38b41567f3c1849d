package dev.tollgate.gateway;

import java.util.UUID;

/**
 * One gateway call that got as far as a known API and key. {@code dispatched} says whether it passed every check
 * and was sent upstream (those count toward quotas); {@code upstreamLatencyMs} is -1 when no upstream answered.
 */
public record UsageEvent(String requestId, UUID apiId, UUID consumerId, UUID keyId, UUID planId, String method,
        String path, int status, int latencyMs, int upstreamLatencyMs, long bytesIn, long bytesOut, long atMillis,
        boolean dispatched) {
}
