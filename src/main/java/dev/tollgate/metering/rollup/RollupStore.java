package dev.tollgate.metering.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.tollgate.metering.LatencyFilter;
import dev.tollgate.metering.UsageDimension;
import dev.tollgate.metering.UsageFilter;
import io.agroal.api.AgroalDataSource;

/**
 * The rollup tables ({@code usage_rollups}, {@code usage_latency}, migration V17) in plain JDBC: writes each minute's
 * rollups at the three granularities in one transaction, reads one granularity's rows over a range of buckets, merges
 * duplicate rows of closed buckets (compaction) and deletes fine-grained rows past their retention.
 */
final class RollupStore {

    private static final String INSERT_CALLS = "insert into usage_rollups (granularity, bucket, node_id, api_id,"
            + " endpoint, consumer_id, key_id, plan_id, status_class, country, model, calls, errors, dispatched,"
            + " bytes_in, bytes_out, input_tokens, output_tokens, cached_tokens, cost_micros, latency_sum_ms,"
            + " latency_max_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_LATENCY = "insert into usage_latency (granularity, bucket, node_id, scope,"
            + " api_id, endpoint, status_class, consumer_id, country, calls, latency_sum_ms, latency_min_ms,"
            + " latency_max_ms, histogram) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COUNT_SUMS = "sum(calls), sum(errors), sum(dispatched), sum(bytes_in),"
            + " sum(bytes_out), sum(input_tokens), sum(output_tokens), sum(cached_tokens), sum(cost_micros),"
            + " sum(latency_sum_ms), max(latency_max_ms)";
    private static final String CALL_KEY_COLUMNS = "api_id, endpoint, consumer_id, key_id, plan_id, status_class,"
            + " country, model";
    private static final int IDS_PER_STATEMENT = 500;

    /** A rollup at one granularity: its bucket and key. */
    record Bucketed<K>(long bucket, K key) {
    }

    private final AgroalDataSource dataSource;

    RollupStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    // --- writing ---------------------------------------------------------------------------------------------------

    /**
     * How far compaction has got: hour rows exist before {@code hoursUntil}, day rows before {@code daysUntil}
     * ({@code Long.MIN_VALUE}: nothing compacted yet).
     */
    record Marks(long hoursUntil, long daysUntil) {
    }

    /**
     * Writes the rollups of the given minutes, all or nothing: minute rows, and hour (day) rows for the minutes whose
     * hour (day) compaction has already passed. Holds the marks row's lock, so compaction is not halfway through an
     * hour meanwhile.
     */
    void write(Map<Long, Map<CallKey, Counts>> calls, Map<Long, Map<LatencyKey, Latency>> latencies, String node)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Marks marks = marks(connection, true);
                for (Granularity g : Granularity.values()) {
                    // minutes always; hours and days only for the minutes compaction has already passed
                    long until = g == Granularity.MINUTE
                            ? Long.MAX_VALUE
                            : g == Granularity.HOUR ? marks.hoursUntil() : marks.daysUntil();
                    Map<Long, Map<CallKey, Counts>> due = new LinkedHashMap<>();
                    Map<Long, Map<LatencyKey, Latency>> dueLatencies = new LinkedHashMap<>();
                    calls.forEach((minute, rows) -> {
                        if (g.floor(minute) < until) {
                            due.put(minute, rows);
                            dueLatencies.put(minute, latencies.getOrDefault(minute, Map.of()));
                        }
                    });
                    insertCalls(connection, g, regroup(due, g), node);
                    insertLatencies(connection, g, regroupLatencies(dueLatencies, g), node);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** The compaction marks; {@code lock}: for update, until the transaction ends. */
    static Marks marks(Connection connection, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select hours_until, days_until from usage_rollup_marks where id = 1" + (lock ? " for update" : ""));
                ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("usage_rollup_marks has no row (migration V17)");
            }
            OffsetDateTime hours = rs.getObject(1, OffsetDateTime.class);
            OffsetDateTime days = rs.getObject(2, OffsetDateTime.class);
            return new Marks(hours == null ? Long.MIN_VALUE : hours.toInstant().toEpochMilli(),
                    days == null ? Long.MIN_VALUE : days.toInstant().toEpochMilli());
        }
    }

    Marks marks() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return marks(connection, false);
        }
    }

    private static Map<Bucketed<CallKey>, Counts> regroup(Map<Long, Map<CallKey, Counts>> minutes, Granularity g) {
        Map<Bucketed<CallKey>, Counts> out = new LinkedHashMap<>();
        minutes.forEach((minute, rows) -> rows.forEach((key, counts) -> out
                .computeIfAbsent(new Bucketed<>(g.floor(minute), key), k -> new Counts()).add(counts)));
        return out;
    }

    private static Map<Bucketed<LatencyKey>, Latency> regroupLatencies(Map<Long, Map<LatencyKey, Latency>> minutes,
            Granularity g) {
        Map<Bucketed<LatencyKey>, Latency> out = new LinkedHashMap<>();
        minutes.forEach((minute, rows) -> rows.forEach((key, latency) -> out
                .computeIfAbsent(new Bucketed<>(g.floor(minute), key), k -> new Latency()).add(latency)));
        return out;
    }

    private static void insertCalls(Connection connection, Granularity g, Map<Bucketed<CallKey>, Counts> rows,
            String node) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_CALLS)) {
            for (Map.Entry<Bucketed<CallKey>, Counts> row : rows.entrySet()) {
                CallKey k = row.getKey().key();
                Counts c = row.getValue();
                insert.setString(1, String.valueOf(g.code));
                insert.setObject(2, time(row.getKey().bucket()));
                insert.setString(3, node);
                insert.setObject(4, k.apiId());
                insert.setString(5, k.endpoint());
                insert.setObject(6, k.consumerId());
                insert.setObject(7, k.keyId());
                insert.setObject(8, k.planId());
                insert.setInt(9, k.statusClass());
                insert.setString(10, k.country());
                insert.setString(11, k.model());
                insert.setLong(12, c.calls);
                insert.setLong(13, c.errors);
                insert.setLong(14, c.dispatched);
                insert.setLong(15, c.bytesIn);
                insert.setLong(16, c.bytesOut);
                insert.setLong(17, c.inputTokens);
                insert.setLong(18, c.outputTokens);
                insert.setLong(19, c.cachedTokens);
                insert.setLong(20, c.costMicros);
                insert.setLong(21, c.latencySumMs);
                insert.setInt(22, c.latencyMaxMs);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertLatencies(Connection connection, Granularity g, Map<Bucketed<LatencyKey>, Latency> rows,
            String node) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LATENCY)) {
            for (Map.Entry<Bucketed<LatencyKey>, Latency> row : rows.entrySet()) {
                LatencyKey k = row.getKey().key();
                Latency l = row.getValue();
                insert.setString(1, String.valueOf(g.code));
                insert.setObject(2, time(row.getKey().bucket()));
                insert.setString(3, node);
                insert.setString(4, String.valueOf(k.scope()));
                insert.setObject(5, k.apiId());
                insert.setString(6, k.endpoint());
                insert.setInt(7, k.statusClass());
                insert.setObject(8, k.consumerId());
                insert.setString(9, k.country());
                insert.setLong(10, l.calls);
                insert.setLong(11, l.sumMs);
                insert.setInt(12, l.calls == 0 ? 0 : l.minMs);
                insert.setInt(13, l.maxMs);
                insert.setBytes(14, l.encode());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    // --- reading ---------------------------------------------------------------------------------------------------

    /**
     * The call rollups of one granularity with buckets in [start, end), summed per bucket (when {@code byBucket}) and
     * the key columns of {@code by}; the other key fields of the returned keys are null (status class 0).
     */
    void readCalls(Granularity g, long start, long end, UsageFilter filter, Set<UsageDimension> by,
            boolean byBucket, CallRows into) throws SQLException {
        if (filter.apiIds() != null && filter.apiIds().isEmpty()) {
            return;
        }
        List<String> columns = new ArrayList<>();
        for (UsageDimension d : by) {
            String column = column(d);
            if (column != null) {
                columns.add(column);
            }
        }
        if (byBucket) {
            columns.add("bucket");
        }
        String select = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
        String group = columns.isEmpty() ? "" : " group by " + String.join(", ", columns);
        for (List<UUID> apis : chunks(filter.apiIds())) {
            StringBuilder sql = new StringBuilder("select ").append(select).append(COUNT_SUMS)
                    .append(" from usage_rollups where granularity = ? and bucket >= ? and bucket < ?");
            where(sql, apis, filter.consumerId(), filter.keyId());
            if (filter.ai() != null) {
                sql.append(filter.ai() ? " and model is not null" : " and model is null");
            }
            sql.append(group);
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int i = bindRange(statement, g, start, end);
                bind(statement, i, apis, filter.consumerId(), filter.keyId());
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        int c = 1;
                        UUID api = null;
                        String endpoint = null;
                        UUID consumer = null;
                        UUID key = null;
                        UUID plan = null;
                        int statusClass = 0;
                        String country = null;
                        String model = null;
                        for (UsageDimension d : by) {
                            switch (d) {
                                case API -> api = rs.getObject(c++, UUID.class);
                                case ENDPOINT -> endpoint = rs.getString(c++);
                                case CONSUMER -> consumer = rs.getObject(c++, UUID.class);
                                case KEY -> key = rs.getObject(c++, UUID.class);
                                case PLAN -> plan = rs.getObject(c++, UUID.class);
                                case STATUS_CLASS -> statusClass = rs.getInt(c++);
                                case COUNTRY -> country = rs.getString(c++);
                                case MODEL -> model = rs.getString(c++);
                                case BUCKET -> {
                                }
                            }
                        }
                        long bucket = byBucket ? rs.getObject(c++, OffsetDateTime.class).toInstant().toEpochMilli() : 0;
                        Counts counts = new Counts();
                        counts.calls = rs.getLong(c++);
                        counts.errors = rs.getLong(c++);
                        counts.dispatched = rs.getLong(c++);
                        counts.bytesIn = rs.getLong(c++);
                        counts.bytesOut = rs.getLong(c++);
                        counts.inputTokens = rs.getLong(c++);
                        counts.outputTokens = rs.getLong(c++);
                        counts.cachedTokens = rs.getLong(c++);
                        counts.costMicros = rs.getLong(c++);
                        counts.latencySumMs = rs.getLong(c++);
                        counts.latencyMaxMs = rs.getInt(c);
                        if (counts.calls > 0) {
                            into.accept(bucket,
                                    new CallKey(api, endpoint, consumer, key, plan, statusClass, country, model),
                                    counts);
                        }
                    }
                }
            }
        }
    }

    /**
     * The newest bucket with errors of one granularity in [start, end), per API, endpoint and status class (of the
     * calls {@code filter} selects).
     */
    void readLastErrors(Granularity g, long start, long end, UsageFilter filter, CallRows into) throws SQLException {
        if (filter.apiIds() != null && filter.apiIds().isEmpty()) {
            return;
        }
        for (List<UUID> apis : chunks(filter.apiIds())) {
            StringBuilder sql = new StringBuilder(
                    "select api_id, endpoint, status_class, max(bucket) from usage_rollups"
                            + " where granularity = ? and bucket >= ? and bucket < ? and errors > 0");
            where(sql, apis, filter.consumerId(), filter.keyId());
            if (filter.ai() != null) {
                sql.append(filter.ai() ? " and model is not null" : " and model is null");
            }
            sql.append(" group by api_id, endpoint, status_class");
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int i = bindRange(statement, g, start, end);
                bind(statement, i, apis, filter.consumerId(), filter.keyId());
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        into.accept(rs.getObject(4, OffsetDateTime.class).toInstant().toEpochMilli(),
                                new CallKey(rs.getObject(1, UUID.class), rs.getString(2), null, null, null,
                                        rs.getInt(3), null, null),
                                null);
                    }
                }
            }
        }
    }

    /** Receives summed call rows. */
    interface CallRows {
        void accept(long bucket, CallKey key, Counts counts);
    }

    /** Receives latency rows. */
    interface LatencyRows {
        void accept(long bucket, LatencyKey key, Latency latency);
    }

    /** The latency rows of one granularity and scope with buckets in [start, end). */
    void readLatencies(Granularity g, long start, long end, LatencyFilter filter, LatencyRows into)
            throws SQLException {
        if (filter.apiIds() != null && filter.apiIds().isEmpty()) {
            return;
        }
        for (List<UUID> apis : chunks(filter.apiIds())) {
            StringBuilder sql = new StringBuilder("select bucket, api_id, endpoint, status_class, consumer_id, country,"
                    + " calls, latency_sum_ms, latency_min_ms, latency_max_ms, histogram from usage_latency"
                    + " where granularity = ? and bucket >= ? and bucket < ? and scope = ?");
            where(sql, apis, filter.consumerId(), null);
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int i = bindRange(statement, g, start, end);
                statement.setString(i++, String.valueOf(scope(filter.scope())));
                bind(statement, i, apis, filter.consumerId(), null);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        LatencyKey key = new LatencyKey(scope(filter.scope()), rs.getObject(2, UUID.class),
                                rs.getString(3), rs.getInt(4), rs.getObject(5, UUID.class), rs.getString(6));
                        into.accept(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), key,
                                Latency.decode(rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getInt(10),
                                        rs.getBytes(11)));
                    }
                }
            }
        }
    }

    static char scope(LatencyFilter.Scope scope) {
        return switch (scope) {
            case ENDPOINTS -> LatencyKey.ENDPOINT;
            case CONSUMER -> LatencyKey.CONSUMER;
            case GEOGRAPHY -> LatencyKey.GEOGRAPHY;
            case PLATFORM -> LatencyKey.PLATFORM;
        };
    }

    private static String column(UsageDimension d) {
        return switch (d) {
            case API -> "api_id";
            case ENDPOINT -> "endpoint";
            case CONSUMER -> "consumer_id";
            case KEY -> "key_id";
            case PLAN -> "plan_id";
            case STATUS_CLASS -> "status_class";
            case COUNTRY -> "country";
            case MODEL -> "model";
            case BUCKET -> null;
        };
    }

    private static List<List<UUID>> chunks(Set<UUID> ids) {
        if (ids == null) {
            return java.util.Collections.singletonList(null);
        }
        List<UUID> all = new ArrayList<>(ids);
        List<List<UUID>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IDS_PER_STATEMENT) {
            chunks.add(all.subList(i, Math.min(all.size(), i + IDS_PER_STATEMENT)));
        }
        return chunks;
    }

    // the filters are left out rather than bound as null: PostgreSQL cannot type a null parameter in "? is null"
    private static void where(StringBuilder sql, List<UUID> apis, UUID consumer, UUID key) {
        if (apis != null) {
            sql.append(" and api_id in (").append("?, ".repeat(apis.size() - 1)).append("?)");
        }
        if (consumer != null) {
            sql.append(" and consumer_id = ?");
        }
        if (key != null) {
            sql.append(" and key_id = ?");
        }
    }

    private static int bindRange(PreparedStatement statement, Granularity g, long start, long end)
            throws SQLException {
        statement.setString(1, String.valueOf(g.code));
        statement.setObject(2, time(start));
        statement.setObject(3, time(end));
        return 4;
    }

    private static int bind(PreparedStatement statement, int index, List<UUID> apis, UUID consumer, UUID key)
            throws SQLException {
        int i = index;
        if (apis != null) {
            for (UUID api : apis) {
                statement.setObject(i++, api);
            }
        }
        if (consumer != null) {
            statement.setObject(i++, consumer);
        }
        if (key != null) {
            statement.setObject(i++, key);
        }
        return i;
    }

    // --- compaction and retention ----------------------------------------------------------------------------------

    /**
     * Adds up the rows of {@code finer} in [start, start + one {@code coarser} bucket) into rows of {@code coarser}
     * and moves the mark to the end of that bucket, in one transaction holding the marks row's lock. Does nothing when
     * the mark has already passed {@code start} (another node did it). Returns the rows written.
     */
    int compact(Granularity finer, Granularity coarser, long start) throws SQLException {
        long end = start + coarser.millis;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Marks marks = marks(connection, true);
                long until = coarser == Granularity.HOUR ? marks.hoursUntil() : marks.daysUntil();
                if (until != Long.MIN_VALUE && until > start) {
                    connection.rollback();
                    return 0;
                }
                int written;
                try (PreparedStatement insert = connection.prepareStatement("insert into usage_rollups (granularity,"
                        + " bucket, node_id, " + CALL_KEY_COLUMNS + ", calls, errors, dispatched, bytes_in, bytes_out,"
                        + " input_tokens, output_tokens, cached_tokens, cost_micros, latency_sum_ms, latency_max_ms)"
                        + " select ?, ?, '*', " + CALL_KEY_COLUMNS + ", " + COUNT_SUMS
                        + " from usage_rollups where granularity = ? and bucket >= ? and bucket < ?"
                        + " group by " + CALL_KEY_COLUMNS)) {
                    insert.setString(1, String.valueOf(coarser.code));
                    insert.setObject(2, time(start));
                    insert.setString(3, String.valueOf(finer.code));
                    insert.setObject(4, time(start));
                    insert.setObject(5, time(end));
                    written = insert.executeUpdate();
                }
                Map<LatencyKey, Latency> sums = new LinkedHashMap<>();
                try (PreparedStatement select = connection.prepareStatement("select scope, api_id, endpoint,"
                        + " status_class, consumer_id, country, calls, latency_sum_ms, latency_min_ms, latency_max_ms,"
                        + " histogram from usage_latency where granularity = ? and bucket >= ? and bucket < ?")) {
                    bindRange(select, finer, start, end);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            LatencyKey key = new LatencyKey(rs.getString(1).charAt(0), rs.getObject(2, UUID.class),
                                    rs.getString(3), rs.getInt(4), rs.getObject(5, UUID.class), rs.getString(6));
                            Latency latency = Latency.decode(rs.getLong(7), rs.getLong(8), rs.getInt(9),
                                    rs.getInt(10), rs.getBytes(11));
                            Latency sum = sums.get(key);
                            if (sum == null) {
                                sums.put(key, latency);
                            } else {
                                sum.add(latency);
                            }
                        }
                    }
                }
                Map<Bucketed<LatencyKey>, Latency> rows = new LinkedHashMap<>();
                sums.forEach((key, latency) -> rows.put(new Bucketed<>(start, key), latency));
                insertLatencies(connection, coarser, rows, "*");
                try (PreparedStatement mark = connection.prepareStatement("update usage_rollup_marks set "
                        + (coarser == Granularity.HOUR ? "hours_until" : "days_until") + " = ? where id = 1")) {
                    mark.setObject(1, time(end));
                    mark.executeUpdate();
                }
                connection.commit();
                return written + rows.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** The oldest bucket of a granularity, or null when there are no rows. */
    Long oldest(Granularity g) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select min(bucket) from usage_rollups where granularity = ?")) {
            select.setString(1, String.valueOf(g.code));
            try (ResultSet rs = select.executeQuery()) {
                OffsetDateTime oldest = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                return oldest == null ? null : oldest.toInstant().toEpochMilli();
            }
        }
    }

    /** Deletes the rows of one granularity with buckets before {@code before}; returns how many. */
    int deleteBefore(Granularity g, long before) throws SQLException {
        int deleted = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (String table : List.of("usage_rollups", "usage_latency")) {
                try (PreparedStatement delete = connection.prepareStatement("delete from " + table
                        + " where granularity = ? and bucket < ?")) {
                    delete.setString(1, String.valueOf(g.code));
                    delete.setObject(2, time(before));
                    deleted += delete.executeUpdate();
                }
            }
        }
        return deleted;
    }

    private static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

}
