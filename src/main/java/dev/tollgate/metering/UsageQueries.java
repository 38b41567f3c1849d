package dev.tollgate.metering;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.metering.internal.raw.RawEvents;
import dev.tollgate.metering.rollup.UsageRollups;

/**
 * Reads recorded usage from the usage rollups: API metrics, consumers' usage, calls toward quotas and AI spend (call
 * logs: {@code metering.internal.raw.RawEvents}).
 */
@ApplicationScoped
public class UsageQueries {

    /**
     * One recorded call (a request log; read from the raw usage store, see
     * {@code metering.internal.raw.RawEvents}); {@code country} as the trusted country header gave it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallLog(String requestId, UUID consumerId, UUID keyId, UUID planId, String method, String path,
            int status, int latencyMs, Integer upstreamLatencyMs, long bytesIn, long bytesOut, Instant at,
            String country) {
    }

    public record Page<T>(List<T> items, long total) {
    }

    /** Status filter: an exact code, or a class 1..5 (e.g. 5 for 5xx); null for all. */
    public record StatusFilter(Integer exact, Integer hundreds) {
        String sql() {
            return exact != null ? " and status = ?" : hundreds != null ? " and status >= ? and status < ?" : "";
        }

        int bind(PreparedStatement statement, int index) throws SQLException {
            if (exact != null) {
                statement.setInt(index++, exact);
            } else if (hundreds != null) {
                statement.setInt(index++, hundreds * 100);
                statement.setInt(index++, hundreds * 100 + 100);
            }
            return index;
        }
    }

    public record Latency(double avg, double p50, double p95, double p99) {
    }

    public record ApiMetrics(String window, Instant since, long calls, long errors, long serverErrors,
            double errorRate, Latency latency) {
    }

    /** Calls and errors of one consumer on one API. */
    public record ApiUse(UUID apiId, long calls, long errors) {
    }

    /** Calls that went upstream this month, per consumer and API (for quotas). */
    public record MonthlyCalls(UUID consumerId, UUID apiId, long calls) {
    }

    private final UsageRollups rollups;
    private final RawEvents rawEvents;
    private final Clock clock;

    UsageQueries(UsageRollups rollups, RawEvents rawEvents, Clock clock) {
        this.rollups = rollups;
        this.rawEvents = rawEvents;
        this.clock = clock;
    }

    /**
     * One API's request logs, newest first, with their total; {@code from} inclusive, {@code to} exclusive, null:
     * open. The caller has checked that whoever asks may read them (the API's owner or an admin).
     */
    public Page<CallLog> logs(UUID apiId, StatusFilter status, Instant from, Instant to, int skip, int limit) {
        return rawEvents.logs(apiId, status, from, to, skip, limit);
    }

    /**
     * Errors are responses of 400 and above; latency is the gateway's (client to last byte), in ms, percentiles from
     * the rollups' histograms. Counts the minutes that start at or after {@code since}.
     */
    public ApiMetrics metrics(UUID apiId, String window, Instant since) {
        Instant to = horizon();
        long calls = 0;
        long errors = 0;
        long serverErrors = 0;
        // the endpoints' rows: their server errors are known for rows older than migration V20 too
        for (UsageGroup g : rollups.sums(LatencyFilter.endpoints(Set.of(apiId)), since, to, null, Set.of())) {
            calls += g.totals().calls();
            errors += g.totals().errors();
            serverErrors += g.totals().serverErrors();
        }
        List<LatencyGroup> latency = rollups.latency(LatencyFilter.apis(Set.of(apiId)), since, to, null, Set.of());
        LatencyStats stats = latency.isEmpty() ? LatencyStats.NONE : latency.get(0).stats();
        return new ApiMetrics(window, since, calls, errors, serverErrors,
                calls == 0 ? 0 : round((double) errors / calls, 4),
                new Latency(stats.avg(), stats.p50(), stats.p95(), stats.p99()));
    }

    /** A consumer's gateway calls and errors per API since a moment, most-used first. */
    public List<ApiUse> consumerUsage(UUID consumerId, Instant since) {
        List<ApiUse> uses = new ArrayList<>();
        for (UsageGroup g : rollups.calls(UsageFilter.consumer(consumerId).withAi(false), since, horizon(), null,
                EnumSet.of(UsageDimension.API))) {
            uses.add(new ApiUse(g.apiId(), g.totals().calls(), g.totals().errors()));
        }
        uses.sort(Comparator.comparingLong(ApiUse::calls).reversed().thenComparing(ApiUse::apiId));
        return uses;
    }

    /**
     * Gateway calls that went upstream since a moment, per consumer and API (for quotas). Counts the whole minute that
     * holds {@code since}: a period that starts mid-minute (a subscription taken and called at once) must not lose
     * its first calls; at worst a renewal counts calls of the minute before it.
     */
    public List<MonthlyCalls> dispatchedSince(Instant since) {
        List<MonthlyCalls> calls = new ArrayList<>();
        for (UsageGroup g : rollups.calls(UsageFilter.ALL.withAi(false), minuteOf(since), horizon(), null,
                EnumSet.of(UsageDimension.CONSUMER, UsageDimension.API))) {
            if (g.totals().dispatched() > 0) {
                calls.add(new MonthlyCalls(g.consumerId(), g.apiId(), g.totals().dispatched()));
            }
        }
        return calls;
    }

    /** Calls of one consumer to one API that reached the upstream since the minute that holds {@code since}. */
    public long dispatchedSince(UUID consumerId, UUID apiId, Instant since) {
        return rollups.totals(new UsageFilter(Set.of(apiId), consumerId, null, null), minuteOf(since), horizon())
                .dispatched();
    }

    private static Instant minuteOf(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    }

    /** One consumer's AI calls to one model: calls, errors (status 400 and above), tokens and cost in micros. */
    public record ModelUse(String model, long calls, long errors, long inputTokens, long outputTokens,
            long cachedInputTokens, long costMicros) {
    }

    /** What a key has spent on AI calls since a moment, in micros (for its monthly spend cap). */
    public record KeySpend(UUID keyId, long micros) {
    }

    /** A consumer's AI calls per model since a moment, most-used first. */
    public List<ModelUse> consumerModelUsage(UUID consumerId, Instant since) {
        List<ModelUse> uses = new ArrayList<>();
        for (UsageGroup g : rollups.calls(UsageFilter.consumer(consumerId).withAi(true), since, horizon(), null,
                EnumSet.of(UsageDimension.MODEL))) {
            UsageTotals t = g.totals();
            uses.add(new ModelUse(g.model(), t.calls(), t.errors(), t.inputTokens(), t.outputTokens(),
                    t.cachedTokens(), t.costMicros()));
        }
        uses.sort(Comparator.comparingLong(ModelUse::calls).reversed().thenComparing(ModelUse::model));
        return uses;
    }

    /** Every key's AI spend since a moment. */
    public List<KeySpend> aiSpendSince(Instant since) {
        List<KeySpend> spends = new ArrayList<>();
        for (UsageGroup g : rollups.calls(UsageFilter.ALL.withAi(true), since, horizon(), null,
                EnumSet.of(UsageDimension.KEY))) {
            if (g.totals().costMicros() > 0) {
                spends.add(new KeySpend(g.keyId(), g.totals().costMicros()));
            }
        }
        return spends;
    }

    /** The end of "until now": past the current minute, which is still being counted. */
    private Instant horizon() {
        return clock.instant().plusSeconds(60);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
