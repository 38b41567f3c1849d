package dev.tollgate.metering;

import java.time.Instant;
import java.util.UUID;

/** The counts and latency of the calls that share the grouped dimensions; dimensions not grouped by are null. */
public record LatencyGroup(Instant bucket, UUID apiId, String endpoint, UUID consumerId,
        String country, String model, UsageTotals totals, LatencyStats stats) {
}
