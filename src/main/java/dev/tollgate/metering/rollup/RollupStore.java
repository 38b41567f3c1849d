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

    /** The additive columns of both tables, in {@link #bindCounts}' and {@link #readCounts}' order. */
    private static final String COUNT_COLUMNS = "calls, errors, dispatched, bytes_in, bytes_out, input_tokens,"
            + " output_tokens, cached_tokens, cost_micros, latency_sum_ms, latency_max_ms, last_error_at,"
            + " server_errors, last_client_error_at, last_server_error_at";
    private static final String COUNT_SUMS = "sum(calls), sum(errors), sum(dispatched), sum(bytes_in),"
            + " sum(bytes_out), sum(input_tokens), sum(output_tokens), sum(cached_tokens), sum(cost_micros),"
            + " sum(latency_sum_ms), max(latency_max_ms), max(last_error_at),"
            + " sum(server_errors), max(last_client_error_at), max(last_server_error_at)";
    private static final String CALL_KEY_COLUMNS = "api_id, endpoint, consumer_id, key_id, plan_id, status_class,"
            + " country, model";
    private static final String LATENCY_KEY_COLUMNS = "scope, api_id, endpoint, status_class, consumer_id, country,"
            + " model";
    private static final String INSERT_CALLS = insert("usage_rollups", CALL_KEY_COLUMNS + ", " + COUNT_COLUMNS);
    private static final String INSERT_LATENCY = insert("usage_latency",
            LATENCY_KEY_COLUMNS + ", " + COUNT_COLUMNS + ", latency_min_ms, histogram");
    /** How many columns {@link #readCounts} reads (the latency rows' shortest latency and histogram follow them). */
    private static final int COUNTS = COUNT_COLUMNS.split(",").length;
    private static final int IDS_PER_STATEMENT = 500;

    /** An insert of one row: granularity, bucket and node, then {@code columns}. */
    private static String insert(String table, String columns) {
        int values = 3 + columns.split(",").length;
        return "insert into " + table + " (granularity, bucket, node_id, " + columns + ") values ("
                + "?, ".repeat(values - 1) + "?)";
    }

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
            for (Map.Entry<Bucketed<CallKey>, Counts> row : inStorageOrder(rows, k -> "", CallKey::apiId)) {
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
                bindCounts(insert, 12, c);
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
            for (Map.Entry<Bucketed<LatencyKey>, Latency> row : inStorageOrder(rows,
                    k -> String.valueOf(k.scope()), LatencyKey::apiId)) {
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
                insert.setString(10, k.model());
                int i = bindCounts(insert, 11, l.counts);
                insert.setInt(i++, l.counts.calls == 0 ? 0 : l.minMs);
                insert.setBytes(i, l.encode());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The rows in the order they are best inserted in: by scope, API and bucket. Both databases store a table's rows
     * in insertion order and queries read one scope of one API (or of all APIs) over a range of buckets through an
     * index; rows inserted together that way share pages, so a query over a month of day rows reads a few pages per
     * day instead of one page per row (measured on H2: 31,626 day rows of scope e read 34,442 pages when the scopes
     * were interleaved).
     */
    private static <K, V> List<Map.Entry<Bucketed<K>, V>> inStorageOrder(Map<Bucketed<K>, V> rows,
            java.util.function.Function<K, String> scope, java.util.function.Function<K, UUID> api) {
        List<Map.Entry<Bucketed<K>, V>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(
                java.util.Comparator.<Map.Entry<Bucketed<K>, V>, String>comparing(e -> scope.apply(e.getKey().key()))
                        .thenComparing(e -> api.apply(e.getKey().key()),
                                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))
                        .thenComparingLong(e -> e.getKey().bucket()));
        return sorted;
    }

    // --- reading ---------------------------------------------------------------------------------------------------

    /** Binds parameters from an index on; returns the next index. */
    private interface Binder {
        int bind(PreparedStatement statement, int index) throws SQLException;
    }

    /** Conditions on the rows of one table, and their parameters; a selection may need several statements. */
    private record Where(String sql, Binder binder) {
    }

    /** Rows of one table that a query reads, in one or more statements (many API ids are split); none: nothing. */
    record Selection(String table, List<Where> statements) {
    }

    /** The wide rows ({@code usage_rollups}) of the calls {@code filter} selects. */
    static Selection select(UsageFilter filter) {
        List<Where> statements = new ArrayList<>();
        for (List<UUID> apis : chunks(filter.apiIds())) {
            StringBuilder sql = new StringBuilder();
            where(sql, apis, filter.consumerId(), filter.keyId());
            if (filter.ai() != null) {
                sql.append(filter.ai() ? " and model is not null" : " and model is null");
            }
            statements.add(new Where(sql.toString(), (statement, i) -> bind(statement, i, apis, filter.consumerId(),
                    filter.keyId())));
        }
        return new Selection("usage_rollups", statements);
    }

    /** The narrow rows ({@code usage_latency}) of {@code filter}'s scope, APIs and consumer. */
    static Selection select(LatencyFilter filter) {
        List<Where> statements = new ArrayList<>();
        String scope = String.valueOf(scope(filter.scope()));
        for (List<UUID> apis : chunks(filter.apiIds())) {
            StringBuilder sql = new StringBuilder(" and scope = ?");
            where(sql, apis, filter.consumerId(), null);
            statements.add(new Where(sql.toString(), (statement, i) -> {
                statement.setString(i, scope);
                return bind(statement, i + 1, apis, filter.consumerId(), null);
            }));
        }
        return new Selection("usage_latency", statements);
    }

    /**
     * The rows of one granularity with buckets in [start, end), summed per bucket (when {@code byBucket}) and the key
     * columns of {@code by} — wide rows by the database, narrow ones row by row (the receiver adds them up); the other
     * key fields of the returned keys are null (status class 0).
     */
    void readSums(Granularity g, long start, long end, Selection rows, Set<UsageDimension> by, boolean byBucket,
            CallRows into) throws SQLException {
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
        // narrow rows are few per bucket and the caller adds them up anyway: summing in SQL costs more (H2 sums bigint
        // columns as NUMERIC, a BigDecimal per row and column: half of /errors' time over a month of endpoint rows)
        boolean narrow = rows.table().equals("usage_latency");
        String group = columns.isEmpty() || narrow ? "" : " group by " + String.join(", ", columns);
        each(rows, "select " + select + (narrow ? COUNT_COLUMNS : COUNT_SUMS), group, g, start, end, rs -> {
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
            Counts counts = readCounts(rs, c);
            if (counts.calls > 0) {
                into.accept(bucket,
                        new CallKey(api, endpoint, consumer, key, plan, statusClass, country, model),
                        counts);
            }
        });
    }

    /** Receives summed call rows. */
    interface CallRows {
        void accept(long bucket, CallKey key, Counts counts);
    }

    /** Receives narrow rows: counts, shortest latency and the histogram still encoded. */
    interface LatencyRows {
        void accept(long bucket, LatencyKey key, Counts counts, int minMs, byte[] histogram);
    }

    /** The narrow rows of one granularity with buckets in [start, end), histograms decoded. */
    void readLatencies(Granularity g, long start, long end, Selection rows, LatencyRows into) throws SQLException {
        each(rows, "select bucket, " + LATENCY_KEY_COLUMNS + ", " + COUNT_COLUMNS + ", latency_min_ms, histogram", "",
                g, start, end, rs -> into.accept(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(),
                        latencyKey(rs, 2), readCounts(rs, 9), rs.getInt(9 + COUNTS), rs.getBytes(10 + COUNTS)));
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code select} (columns) from the selection's table over the buckets of one granularity in [start, end),
     * one statement per {@link Where} of the selection, {@code tail} (e.g. a group by) after the conditions; each row
     * goes to {@code each}.
     */
    private void each(Selection rows, String select, String tail, Granularity g, long start, long end, RowReader each)
            throws SQLException {
        for (Where where : rows.statements()) {
            String sql = select + " from " + rows.table() + " where granularity = ? and bucket >= ? and bucket < ?"
                    + where.sql() + tail;
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                where.binder().bind(statement, bindRange(statement, g, start, end));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        each.read(rs);
                    }
                }
            }
        }
    }

    /**
     * The distinct consumers with calls in each minute of [start, end) (scope {@code u}'s minute rows): bucket and
     * consumer, once each.
     */
    void readCallers(long start, long end, java.util.function.BiConsumer<Long, UUID> into) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select distinct bucket, consumer_id from"
                        + " usage_latency where granularity = ? and bucket >= ? and bucket < ? and scope = ?")) {
            int i = bindRange(statement, Granularity.MINUTE, start, end);
            statement.setString(i, String.valueOf(LatencyKey.CALLER));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    into.accept(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(),
                            rs.getObject(2, UUID.class));
                }
            }
        }
    }

    /** How many distinct consumers have calls in each minute of [start, end) that has any (scope {@code u}). */
    void countCallers(long start, long end, java.util.function.BiConsumer<Long, Integer> into) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select bucket, count(distinct consumer_id)"
                        + " from usage_latency where granularity = ? and bucket >= ? and bucket < ? and scope = ?"
                        + " group by bucket")) {
            int i = bindRange(statement, Granularity.MINUTE, start, end);
            statement.setString(i, String.valueOf(LatencyKey.CALLER));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    into.accept(rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli(), rs.getInt(2));
                }
            }
        }
    }

    private static LatencyKey latencyKey(ResultSet rs, int from) throws SQLException {
        int c = from;
        return new LatencyKey(rs.getString(c++).charAt(0), rs.getObject(c++, UUID.class), rs.getString(c++),
                rs.getInt(c++), rs.getObject(c++, UUID.class), rs.getString(c++), rs.getString(c));
    }

    private static Counts readCounts(ResultSet rs, int from) throws SQLException {
        int c = from;
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
        counts.latencyMaxMs = rs.getInt(c++);
        counts.lastErrorMs = epochMillis(rs, c++);
        counts.serverErrors = rs.getLong(c++);
        counts.lastClientErrorMs = epochMillis(rs, c++);
        counts.lastServerErrorMs = epochMillis(rs, c);
        return counts;
    }

    /** A nullable time column in epoch ms, 0 for null. */
    private static long epochMillis(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? 0 : time.toInstant().toEpochMilli();
    }

    private static int bindCounts(PreparedStatement statement, int from, Counts c) throws SQLException {
        int i = from;
        statement.setLong(i++, c.calls);
        statement.setLong(i++, c.errors);
        statement.setLong(i++, c.dispatched);
        statement.setLong(i++, c.bytesIn);
        statement.setLong(i++, c.bytesOut);
        statement.setLong(i++, c.inputTokens);
        statement.setLong(i++, c.outputTokens);
        statement.setLong(i++, c.cachedTokens);
        statement.setLong(i++, c.costMicros);
        statement.setLong(i++, c.latencySumMs);
        statement.setInt(i++, c.latencyMaxMs);
        bindTime(statement, i++, c.lastErrorMs);
        statement.setLong(i++, c.serverErrors);
        bindTime(statement, i++, c.lastClientErrorMs);
        bindTime(statement, i++, c.lastServerErrorMs);
        return i;
    }

    /** A nullable time column from epoch ms, 0 for null. */
    private static void bindTime(PreparedStatement statement, int index, long epochMillis) throws SQLException {
        if (epochMillis == 0) {
            statement.setNull(index, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, time(epochMillis));
        }
    }

    static char scope(LatencyFilter.Scope scope) {
        return switch (scope) {
            case APIS -> LatencyKey.API;
            case ENDPOINTS -> LatencyKey.ENDPOINT;
            case CONSUMER -> LatencyKey.CONSUMER;
            case CALLERS -> LatencyKey.CALLER;
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
        List<List<UUID>> chunks = new ArrayList<>(); // none for no ids: nothing to read
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
                        + " bucket, node_id, " + CALL_KEY_COLUMNS + ", " + COUNT_COLUMNS + ") select ?, ?, '*', "
                        + CALL_KEY_COLUMNS + ", " + COUNT_SUMS
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
                try (PreparedStatement select = connection.prepareStatement("select " + LATENCY_KEY_COLUMNS + ", "
                        + COUNT_COLUMNS + ", latency_min_ms, histogram from usage_latency where granularity = ? and"
                        + " bucket >= ? and bucket < ?")) {
                    bindRange(select, finer, start, end);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            LatencyKey key = latencyKey(rs, 1);
                            Counts counts = readCounts(rs, 8);
                            Latency sum = sums.get(key);
                            if (sum == null) {
                                sums.put(key, Latency.decode(counts, rs.getInt(8 + COUNTS), rs.getBytes(9 + COUNTS)));
                            } else {
                                sum.addEncoded(counts, rs.getInt(8 + COUNTS), rs.getBytes(9 + COUNTS));
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
