package dev.tollgate.metering;

import java.time.Instant;
import java.util.UUID;

/** The totals of the calls that share the grouped dimensions; dimensions not grouped by are null. */
public record UsageGroup(Instant bucket, UUID apiId, String endpoint, UUID consumerId, UUID keyId, UUID planId,
        Integer statusClass, String country, String model, UsageTotals totals) {
}
