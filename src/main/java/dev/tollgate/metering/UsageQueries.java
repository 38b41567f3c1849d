package dev.tollgate.metering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.agroal.api.AgroalDataSource;

/** Reads recorded usage: API metrics and consumers' usage (call logs: {@code metering.internal.raw.RawEvents}). */
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

    private final AgroalDataSource dataSource;

    UsageQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Errors are responses of 400 and above; latency is the gateway's (client to last byte), in ms. */
    public ApiMetrics metrics(UUID apiId, String window, Instant since) {
        String sql = "select count(*), "
                + "coalesce(sum(case when status >= 400 then 1 else 0 end), 0), "
                + "coalesce(sum(case when status >= 500 then 1 else 0 end), 0), "
                + "avg(cast(latency_ms as double precision)), "
                + "percentile_cont(0.5) within group (order by latency_ms), "
                + "percentile_cont(0.95) within group (order by latency_ms), "
                + "percentile_cont(0.99) within group (order by latency_ms) "
                + "from usage_events where api_id = ? and at >= ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, apiId);
            select.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long calls = rs.getLong(1);
                long errors = rs.getLong(2);
                return new ApiMetrics(window, since, calls, errors, rs.getLong(3),
                        calls == 0 ? 0 : round((double) errors / calls, 4),
                        new Latency(round(rs.getDouble(4), 2), round(rs.getDouble(5), 2), round(rs.getDouble(6), 2),
                                round(rs.getDouble(7), 2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading API metrics failed", e);
        }
    }

    /** A consumer's calls and errors per API since a moment, most-used first. */
    public List<ApiUse> consumerUsage(UUID consumerId, Instant since) {
        String sql = "select api_id, count(*), coalesce(sum(case when status >= 400 then 1 else 0 end), 0) "
                + "from usage_events where consumer_id = ? and at >= ? and model is null group by api_id"
                + " order by count(*) desc";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, consumerId);
            select.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            List<ApiUse> uses = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    uses.add(new ApiUse(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3)));
                }
            }
            return uses;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading usage failed", e);
        }
    }

    public List<MonthlyCalls> dispatchedSince(Instant since) {
        String sql = "select consumer_id, api_id, count(*) from usage_events where dispatched = true and at >= ? "
                + "and model is null group by consumer_id, api_id";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            List<MonthlyCalls> calls = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    calls.add(new MonthlyCalls(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getLong(3)));
                }
            }
            return calls;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading monthly calls failed", e);
        }
    }

    /** Calls of one consumer to one API that reached the upstream since {@code since}. */
    public long dispatchedSince(UUID consumerId, UUID apiId, Instant since) {
        String sql = "select count(*) from usage_events where consumer_id = ? and api_id = ? and dispatched = true"
                + " and at >= ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, consumerId);
            select.setObject(2, apiId);
            select.setObject(3, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading calls failed", e);
        }
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
        String sql = "select model, count(*), coalesce(sum(case when status >= 400 then 1 else 0 end), 0),"
                + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cached_tokens), 0),"
                + " coalesce(sum(cost_micros), 0) from usage_events where consumer_id = ? and at >= ?"
                + " and model is not null group by model order by count(*) desc, model";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, consumerId);
            select.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            List<ModelUse> uses = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    uses.add(new ModelUse(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
            return uses;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading AI usage failed", e);
        }
    }

    /** Every key's AI spend since a moment. */
    public List<KeySpend> aiSpendSince(Instant since) {
        String sql = "select key_id, sum(cost_micros) from usage_events where model is not null and at >= ?"
                + " and cost_micros > 0 group by key_id";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            List<KeySpend> spends = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    spends.add(new KeySpend(rs.getObject(1, UUID.class), rs.getLong(2)));
                }
            }
            return spends;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading AI spend failed", e);
        }
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
