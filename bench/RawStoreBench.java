import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.testing.EmbeddedPostgresServer;

/**
 * Raw usage-event stores side by side: append throughput (events/s on the wall clock, the writer thread's CPU and
 * allocation per event, the cost of generating the events subtracted) and two time-range reads at ROWS events. Run by
 * bench/rawstore.sh, which explains the layout; prints one table.
 */
public class RawStoreBench {

    static final int ROWS = Integer.getInteger("rows", 5_000_000);
    static final int BATCH = Integer.getInteger("batch", 2000);
    static final int DAYS = 7;
    static final int APIS = 200;
    static final long START = LocalDate.of(2025, 6, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    static final long SPAN = DAYS * 86_400_000L;
    static final UUID BUSY = new UUID(1, 0);
    static final UUID[] API_IDS = new UUID[APIS];
    static final UUID[] CONSUMERS = new UUID[1000];
    static final String[] PATHS = {"/gw/weather/v1/forecast", "/gw/weather/v1/current?city=berlin",
            "/gw/geo/v2/lookup/52.52,13.40", "/gw/ai/v1/chat/completions"};
    static final Set<String> ONLY = new HashSet<>(Arrays.asList(System.getProperty("only", "").split(",")));
    static final Path DIR = Path.of(System.getProperty("dir", "target/rawstore-bench"));
    static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();

    static {
        API_IDS[0] = BUSY;
        for (int i = 1; i < APIS; i++) {
            API_IDS[i] = new UUID(1, i);
        }
        for (int i = 0; i < CONSUMERS.length; i++) {
            CONSUMERS[i] = new UUID(2, i);
        }
    }

    /** Deterministic events in time order over DAYS days; 20 % of them for the busy API, the rest spread over 199. */
    static final class Events {
        final SplittableRandom random = new SplittableRandom(42);
        int produced;

        List<UsageEvent> next(List<UsageEvent> batch) {
            batch.clear();
            for (int i = 0; i < BATCH && produced < ROWS; i++, produced++) {
                long at = START + SPAN * produced / ROWS;
                UUID api = random.nextInt(5) == 0 ? BUSY : API_IDS[1 + random.nextInt(APIS - 1)];
                int consumer = random.nextInt(CONSUMERS.length);
                int roll = random.nextInt(100);
                int status = roll < 90 ? 200 : roll < 97 ? 404 : 502;
                UsageEvent.Ai ai = random.nextInt(10) == 0
                        ? new UsageEvent.Ai("gpt-4o-mini", 300, 120, 0, false, 1234, 150_000, 600_000, -1, API_IDS[3])
                        : null;
                batch.add(new UsageEvent("req-" + Long.toHexString(random.nextLong()), api, CONSUMERS[consumer],
                        CONSUMERS[(consumer + 7) % CONSUMERS.length], API_IDS[consumer % 5], "GET",
                        PATHS[random.nextInt(PATHS.length)], status, 3 + random.nextInt(40), 2 + random.nextInt(30),
                        random.nextInt(500), 200 + random.nextInt(4000), at, status < 400, "DE", ai));
            }
            return batch;
        }
    }

    interface Store extends AutoCloseable {
        void append(List<UsageEvent> batch) throws Exception;

        /** Newest 50 calls of the busy API (over the whole store). */
        int newest50() throws Exception;

        /** The busy API's calls on one UTC day (the middle one). */
        long countDay() throws Exception;

        /** The busy API's calls over the whole store (the total the logs page shows). */
        long countAll() throws Exception;

        long bytesOnDisk() throws IOException;

        /** After the load, before the reads: what the database would do by itself soon (PostgreSQL's autovacuum). */
        default void settle() throws Exception {
        }
    }

    record Result(String name, long rows, double eventsPerSecond, double cpuMicros, double allocBytes,
            double newestMs, double dayMs, double allMs, long mb, long dayCount) {
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(DIR);
        List<Result> results = new ArrayList<>();
        Cost generation = measureGeneration();
        System.out.printf(Locale.ROOT, "generating %,d events alone: %.2f µs CPU, %.0f B allocated per event%n", ROWS,
                generation.cpuMicros, generation.allocBytes);
        if (run("a")) {
            results.add(measure("a  H2 main db, indexed table (today)", new H2MainTable(), generation));
        }
        if (run("b0")) {
            results.add(measure("b0 H2 own file, table per day, no index", new H2DayTables(false), generation));
        }
        if (run("b1")) {
            results.add(measure("b1 H2 own file, table per day, (api_id, at)", new H2DayTables(true), generation));
        }
        if (run("c")) {
            results.add(measure("c  DuckDB appender, one table", new DuckDb(), generation));
        }
        if (run("d0") || run("d1")) {
            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start()) {
                if (run("d0")) {
                    results.add(measure("d0 PostgreSQL partitioned, COPY", new Postgres(server, true), generation));
                }
                if (run("d1")) {
                    results.add(measure("d1 PostgreSQL partitioned, batched inserts", new Postgres(server, false),
                            generation));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nrows=%,d batch=%d days=%d apis=%d (busy api: 20%% of calls)%n", ROWS, BATCH,
                DAYS, APIS);
        System.out.println("| store | events/s | writer CPU µs/event | writer alloc B/event | newest 50 of one API ms"
                + " | one API, one day count ms | one API, all days count ms | on disk MB |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.0f | %.1f | %.1f | %.1f | %d |%n", r.name,
                    r.eventsPerSecond, r.cpuMicros, r.allocBytes, r.newestMs, r.dayMs, r.allMs, r.mb);
        }
    }

    static boolean run(String variant) {
        return ONLY.contains("") || ONLY.contains(variant);
    }

    record Cost(double cpuMicros, double allocBytes) {
    }

    static Cost measureGeneration() {
        Events events = new Events();
        List<UsageEvent> batch = new ArrayList<>(BATCH);
        long tid = Thread.currentThread().getId();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long alloc = THREADS.getThreadAllocatedBytes(tid);
        while (!events.next(batch).isEmpty()) {
            // generation only
        }
        return new Cost((THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0 / ROWS,
                (double) (THREADS.getThreadAllocatedBytes(tid) - alloc) / ROWS);
    }

    static Result measure(String name, Store store, Cost generation) throws Exception {
        System.out.println("loading " + name + " ...");
        try (store) {
            Events events = new Events();
            List<UsageEvent> batch = new ArrayList<>(BATCH);
            long tid = Thread.currentThread().getId();
            long cpu = THREADS.getCurrentThreadCpuTime();
            long alloc = THREADS.getThreadAllocatedBytes(tid);
            long wall = System.nanoTime();
            while (!events.next(batch).isEmpty()) {
                store.append(batch);
            }
            double seconds = (System.nanoTime() - wall) / 1e9;
            double cpuMicros = (THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0 / ROWS - generation.cpuMicros;
            double allocBytes = (double) (THREADS.getThreadAllocatedBytes(tid) - alloc) / ROWS - generation.allocBytes;
            store.settle();
            int newest = store.newest50();
            long day = store.countDay();
            long all = store.countAll();
            if (newest != 50 || day <= 0 || all <= day) {
                throw new IllegalStateException(name + ": wrong answers " + newest + " " + day + " " + all);
            }
            Result result = new Result(name, ROWS, ROWS / seconds, cpuMicros, allocBytes,
                    median(store::newest50), median(store::countDay), median(store::countAll),
                    store.bytesOnDisk() / 1_000_000, day);
            System.out.printf(Locale.ROOT, "  %s: %,.0f events/s in %.1f s; day count %,d, all %,d%n", name,
                    result.eventsPerSecond, seconds, day, all);
            return result;
        }
    }

    interface Query {
        Object run() throws Exception;
    }

    static double median(Query query) throws Exception {
        for (int i = 0; i < 3; i++) {
            query.run();
        }
        double[] ms = new double[11];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            query.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    static int round;

    /**
     * A moment before all data that moves by a millisecond per query: H2 answers a statement run again with the same
     * parameters on unchanged tables from its last result, which would time nothing.
     */
    static long before() {
        return START - 1000 - (++round);
    }

    static long dayStart(int day) {
        return START + day * 86_400_000L;
    }

    static long size(Path path) throws IOException {
        if (!Files.exists(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> files = Files.walk(path)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static final String COLUMNS = "request_id, api_id, consumer_id, key_id, plan_id, method, path, status, latency_ms,"
            + " upstream_latency_ms, bytes_in, bytes_out, at, dispatched, country, model, input_tokens, output_tokens,"
            + " cached_tokens, tokens_estimated, cost_micros, input_per_million, output_per_million,"
            + " cached_input_per_million, channel_id";
    static final String PARAMS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    static String columnTypes(String uuid, String timestamp) {
        return "request_id varchar(128) not null, api_id " + uuid + " not null, consumer_id " + uuid
                + " not null, key_id " + uuid + " not null, plan_id " + uuid + ", method varchar(16) not null,"
                + " path varchar(512) not null, status integer not null, latency_ms integer not null,"
                + " upstream_latency_ms integer, bytes_in bigint not null, bytes_out bigint not null, at " + timestamp
                + " not null, dispatched boolean not null, country varchar(8), model varchar(100),"
                + " input_tokens bigint, output_tokens bigint, cached_tokens bigint, tokens_estimated boolean,"
                + " cost_micros bigint, input_per_million bigint, output_per_million bigint,"
                + " cached_input_per_million bigint, channel_id " + uuid;
    }

    /** Binds one event the way UsageRecorder did (JDBC, one row). */
    static void bind(PreparedStatement insert, UsageEvent e, boolean timestampAsOffset) throws SQLException {
        insert.setString(1, e.requestId());
        insert.setObject(2, e.apiId());
        insert.setObject(3, e.consumerId());
        insert.setObject(4, e.keyId());
        insert.setObject(5, e.planId());
        insert.setString(6, e.method());
        insert.setString(7, e.path());
        insert.setInt(8, e.status());
        insert.setInt(9, e.latencyMs());
        if (e.upstreamLatencyMs() < 0) {
            insert.setNull(10, Types.INTEGER);
        } else {
            insert.setInt(10, e.upstreamLatencyMs());
        }
        insert.setLong(11, e.bytesIn());
        insert.setLong(12, e.bytesOut());
        if (timestampAsOffset) {
            insert.setObject(13, OffsetDateTime.ofInstant(Instant.ofEpochMilli(e.atMillis()), ZoneOffset.UTC));
        } else {
            insert.setTimestamp(13, new Timestamp(e.atMillis()));
        }
        insert.setBoolean(14, e.dispatched());
        insert.setString(15, e.country());
        UsageEvent.Ai ai = e.ai();
        insert.setString(16, ai == null ? null : ai.model());
        insert.setObject(17, ai == null ? null : ai.inputTokens(), Types.BIGINT);
        insert.setObject(18, ai == null ? null : ai.outputTokens(), Types.BIGINT);
        insert.setObject(19, ai == null ? null : ai.cachedInputTokens(), Types.BIGINT);
        insert.setObject(20, ai == null ? null : ai.estimated(), Types.BOOLEAN);
        insert.setObject(21, ai == null ? null : ai.costMicros(), Types.BIGINT);
        insert.setObject(22, ai == null ? null : ai.inputMicrosPerMillion(), Types.BIGINT);
        insert.setObject(23, ai == null ? null : ai.outputMicrosPerMillion(), Types.BIGINT);
        insert.setObject(24, ai == null || ai.cachedInputMicrosPerMillion() < 0 ? null
                : ai.cachedInputMicrosPerMillion(), Types.BIGINT);
        insert.setObject(25, ai == null ? null : ai.channelId());
    }

    /** (a) Today: one table in the main H2 database, identity key and the three secondary indexes of V2 + V15. */
    static final class H2MainTable implements Store {
        final Path dir = DIR.resolve("a");
        final Connection connection;

        H2MainTable() throws Exception {
            deleteTree(dir);
            connection = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath() + "/tollgate", "sa", "");
            try (Statement s = connection.createStatement()) {
                s.execute("create table usage_events (id bigint generated by default as identity primary key, "
                        + columnTypes("uuid", "timestamp with time zone") + ")");
                s.execute("create index ix_usage_events_api_at on usage_events (api_id, at)");
                s.execute("create index ix_usage_events_consumer_at on usage_events (consumer_id, at)");
                s.execute("create index ix_usage_events_consumer_model on usage_events (consumer_id, model, at)");
            }
            connection.setAutoCommit(false);
        }

        public void append(List<UsageEvent> batch) throws Exception {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into usage_events (" + COLUMNS + ") values (" + PARAMS + ")")) {
                for (UsageEvent e : batch) {
                    bind(insert, e, true);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }

        public int newest50() throws Exception {
            return H2DayTables.rows(connection, "select " + COLUMNS + " from usage_events where api_id = ? and at > ?"
                    + " order by at desc, id desc fetch first 50 rows only", BUSY,
                    OffsetDateTime.ofInstant(Instant.ofEpochMilli(before()), ZoneOffset.UTC));
        }

        public long countDay() throws Exception {
            try (PreparedStatement s = connection.prepareStatement(
                    "select count(*) from usage_events where api_id = ? and at >= ? and at < ?")) {
                s.setObject(1, BUSY);
                s.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(dayStart(3)), ZoneOffset.UTC));
                s.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(dayStart(4) - (++round % 50)),
                        ZoneOffset.UTC));
                return H2DayTables.single(s);
            }
        }

        public long countAll() throws Exception {
            try (PreparedStatement s = connection.prepareStatement(
                    "select count(*) from usage_events where api_id = ? and at > ?")) {
                s.setObject(1, BUSY);
                s.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(before()), ZoneOffset.UTC));
                return H2DayTables.single(s);
            }
        }

        public long bytesOnDisk() throws IOException {
            return size(dir);
        }

        public void close() throws Exception {
            connection.close();
        }
    }

    /** (b) H2 in its own file, one table per UTC day (no key), optionally one (api_id, at) index. */
    static final class H2DayTables implements Store {
        static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
        final Path dir;
        final boolean indexed;
        final Connection connection;
        final Set<String> tables = new HashSet<>();

        H2DayTables(boolean indexed) throws Exception {
            this.indexed = indexed;
            this.dir = DIR.resolve(indexed ? "b1" : "b0");
            deleteTree(dir);
            connection = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath() + "/usage", "sa", "");
            connection.setAutoCommit(false);
        }

        String table(long atMillis) throws SQLException {
            String name = "events_" + DAY.format(Instant.ofEpochMilli(atMillis));
            if (tables.add(name)) {
                try (Statement s = connection.createStatement()) {
                    s.execute("create table if not exists " + name + " (" + columnTypes("uuid", "timestamp") + ")");
                    if (indexed) {
                        s.execute("create index if not exists ix_" + name + " on " + name + " (api_id, at)");
                    }
                }
                connection.commit();
            }
            return name;
        }

        public void append(List<UsageEvent> batch) throws Exception {
            int from = 0;
            while (from < batch.size()) {
                String table = table(batch.get(from).atMillis());
                int to = from;
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into " + table + " (" + COLUMNS + ") values (" + PARAMS + ")")) {
                    while (to < batch.size() && table.equals(table(batch.get(to).atMillis()))) {
                        bind(insert, batch.get(to++), false);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                from = to;
            }
            connection.commit();
        }

        public int newest50() throws Exception {
            int found = 0;
            for (int day = DAYS - 1; day >= 0 && found < 50; day--) {
                found += rows(connection, "select " + COLUMNS + " from " + table(dayStart(day))
                        + " where api_id = ? and at > ? order by at desc fetch first " + (50 - found) + " rows only",
                        BUSY, new Timestamp(before()));
            }
            return found;
        }

        public long countDay() throws Exception {
            try (PreparedStatement s = connection.prepareStatement(
                    "select count(*) from " + table(dayStart(3)) + " where api_id = ? and at > ?")) {
                s.setObject(1, BUSY);
                s.setTimestamp(2, new Timestamp(before()));
                return single(s);
            }
        }

        public long countAll() throws Exception {
            long total = 0;
            for (int day = 0; day < DAYS; day++) {
                try (PreparedStatement s = connection.prepareStatement(
                        "select count(*) from " + table(dayStart(day)) + " where api_id = ? and at > ?")) {
                    s.setObject(1, BUSY);
                    s.setTimestamp(2, new Timestamp(before()));
                    total += single(s);
                }
            }
            return total;
        }

        static int rows(Connection connection, String sql, UUID api, Object after) throws SQLException {
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                s.setObject(1, api);
                s.setObject(2, after);
                int n = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                        n++;
                    }
                }
                return n;
            }
        }

        static long single(PreparedStatement s) throws SQLException {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }

        public long bytesOnDisk() throws IOException {
            return size(dir);
        }

        public void close() throws Exception {
            connection.close();
        }
    }

    /** (c) DuckDB in its own file, one table, loaded with the appender (one transaction per batch). */
    static final class DuckDb implements Store {
        final Path dir = DIR.resolve("c");
        final Connection connection;

        DuckDb() throws Exception {
            deleteTree(dir);
            Files.createDirectories(dir);
            connection = DriverManager.getConnection("jdbc:duckdb:" + dir.toAbsolutePath() + "/usage.duckdb");
            try (Statement s = connection.createStatement()) {
                s.execute(quoteAt("create table usage_events (" + columnTypes("uuid", "timestamp") + ")"));
            }
        }

        /** at is a keyword in DuckDB. */
        static String quoteAt(String sql) {
            return sql.replace(" at ", " \"at\" ").replace(" at,", " \"at\",");
        }

        public void append(List<UsageEvent> batch) throws Exception {
            connection.setAutoCommit(false);
            try (org.duckdb.DuckDBAppender appender = ((org.duckdb.DuckDBConnection) connection)
                    .createAppender("main", "usage_events")) {
                for (UsageEvent e : batch) {
                    appender.beginRow();
                    appender.append(e.requestId());
                    appender.append(e.apiId());
                    appender.append(e.consumerId());
                    appender.append(e.keyId());
                    if (e.planId() == null) {
                        appender.appendNull();
                    } else {
                        appender.append(e.planId());
                    }
                    appender.append(e.method());
                    appender.append(e.path());
                    appender.append(e.status());
                    appender.append(e.latencyMs());
                    if (e.upstreamLatencyMs() < 0) {
                        appender.appendNull();
                    } else {
                        appender.append(e.upstreamLatencyMs());
                    }
                    appender.append(e.bytesIn());
                    appender.append(e.bytesOut());
                    appender.appendEpochMicros(e.atMillis() * 1000);
                    appender.append(e.dispatched());
                    appender.append(e.country());
                    UsageEvent.Ai ai = e.ai();
                    if (ai == null) {
                        for (int i = 0; i < 10; i++) {
                            appender.appendNull();
                        }
                    } else {
                        appender.append(ai.model());
                        appender.append(ai.inputTokens());
                        appender.append(ai.outputTokens());
                        appender.append(ai.cachedInputTokens());
                        appender.append(ai.estimated());
                        appender.append(ai.costMicros());
                        appender.append(ai.inputMicrosPerMillion());
                        appender.append(ai.outputMicrosPerMillion());
                        if (ai.cachedInputMicrosPerMillion() < 0) {
                            appender.appendNull();
                        } else {
                            appender.append(ai.cachedInputMicrosPerMillion());
                        }
                        appender.append(ai.channelId());
                    }
                    appender.endRow();
                }
                appender.flush();
            }
            connection.commit();
        }

        public int newest50() throws Exception {
            return H2DayTables.rows(connection, quoteAt("select " + COLUMNS + " from usage_events where api_id = ?"
                    + " and at > ? order by at desc limit 50"), BUSY, new Timestamp(before()));
        }

        public long countDay() throws Exception {
            try (PreparedStatement s = connection.prepareStatement(
                    quoteAt("select count(*) from usage_events where api_id = ? and at >= ? and at < ?"))) {
                s.setObject(1, BUSY);
                s.setTimestamp(2, new Timestamp(dayStart(3)));
                s.setTimestamp(3, new Timestamp(dayStart(4) - (++round % 50)));
                return H2DayTables.single(s);
            }
        }

        public long countAll() throws Exception {
            try (PreparedStatement s = connection.prepareStatement(
                    quoteAt("select count(*) from usage_events where api_id = ? and at > ?"))) {
                s.setObject(1, BUSY);
                s.setTimestamp(2, new Timestamp(before()));
                return H2DayTables.single(s);
            }
        }

        public long bytesOnDisk() throws IOException {
            return size(dir);
        }

        public void close() throws Exception {
            connection.close();
        }
    }

    /** (d) PostgreSQL: a table partitioned by range of at, one partition per UTC day created on demand. */
    static final class Postgres implements Store {
        final boolean copy;
        final Connection connection;
        final String table;
        final Set<Long> partitions = new HashSet<>();

        Postgres(EmbeddedPostgresServer server, boolean copy) throws Exception {
            this.copy = copy;
            this.table = copy ? "events_copy" : "events_insert";
            connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
            try (Statement s = connection.createStatement()) {
                s.execute("create table " + table + " (" + columnTypes("uuid", "timestamptz")
                        + ") partition by range (at)");
                s.execute("create index on " + table + " (api_id, at)");
            }
            connection.setAutoCommit(false);
        }

        void partition(long atMillis) throws SQLException {
            long day = Math.floorDiv(atMillis, 86_400_000L);
            if (partitions.add(day)) {
                LocalDate date = LocalDate.ofEpochDay(day);
                try (Statement s = connection.createStatement()) {
                    s.execute("create table if not exists " + table + "_" + date.toString().replace("-", "")
                            + " partition of " + table + " for values from ('" + date + "T00:00:00Z') to ('"
                            + date.plusDays(1) + "T00:00:00Z')");
                }
            }
        }

        public void append(List<UsageEvent> batch) throws Exception {
            for (UsageEvent e : batch) {
                partition(e.atMillis());
            }
            if (copy) {
                StringBuilder text = new StringBuilder(batch.size() * 300);
                for (UsageEvent e : batch) {
                    UsageEvent.Ai ai = e.ai();
                    text.append(e.requestId()).append('\t').append(e.apiId()).append('\t').append(e.consumerId())
                            .append('\t').append(e.keyId()).append('\t').append(nul(e.planId())).append('\t')
                            .append(e.method()).append('\t').append(e.path()).append('\t').append(e.status())
                            .append('\t').append(e.latencyMs()).append('\t')
                            .append(e.upstreamLatencyMs() < 0 ? "\\N" : Integer.toString(e.upstreamLatencyMs()))
                            .append('\t').append(e.bytesIn()).append('\t').append(e.bytesOut()).append('\t')
                            .append(Instant.ofEpochMilli(e.atMillis())).append('\t').append(e.dispatched())
                            .append('\t').append(nul(e.country()));
                    if (ai == null) {
                        text.append("\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N");
                    } else {
                        text.append('\t').append(ai.model()).append('\t').append(ai.inputTokens()).append('\t')
                                .append(ai.outputTokens()).append('\t').append(ai.cachedInputTokens()).append('\t')
                                .append(ai.estimated()).append('\t').append(ai.costMicros()).append('\t')
                                .append(ai.inputMicrosPerMillion()).append('\t').append(ai.outputMicrosPerMillion())
                                .append('\t').append(ai.cachedInputMicrosPerMillion() < 0 ? "\\N"
                                        : Long.toString(ai.cachedInputMicrosPerMillion()))
                                .append('\t').append(nul(ai.channelId()));
                    }
                    text.append('\n');
                }
                CopyManager copier = connection.unwrap(PGConnection.class).getCopyAPI();
                copier.copyIn("copy " + table + " (" + COLUMNS + ") from stdin", new StringReader(text.toString()));
            } else {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into " + table + " (" + COLUMNS + ") values (" + PARAMS + ")")) {
                    for (UsageEvent e : batch) {
                        bind(insert, e, true);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            connection.commit();
        }

        public void settle() throws Exception {
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                s.execute("vacuum analyze " + table);
            }
            connection.setAutoCommit(false);
        }

        static String nul(Object value) {
            return value == null ? "\\N" : value.toString();
        }

        public int newest50() throws Exception {
            return H2DayTables.rows(connection, "select " + COLUMNS + " from " + table + " where api_id = ?"
                    + " and at > ? order by at desc limit 50", BUSY,
                    OffsetDateTime.ofInstant(Instant.ofEpochMilli(before()), ZoneOffset.UTC));
        }

        public long countDay() throws Exception {
            try (PreparedStatement s = connection.prepareStatement(
                    "select count(*) from " + table + " where api_id = ? and at >= ? and at < ?")) {
                s.setObject(1, BUSY);
                s.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(dayStart(3)), ZoneOffset.UTC));
                s.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(dayStart(4)), ZoneOffset.UTC));
                return H2DayTables.single(s);
            }
        }

        public long countAll() throws Exception {
            try (PreparedStatement s = connection.prepareStatement(
                    "select count(*) from " + table + " where api_id = ? and at > ?")) {
                s.setObject(1, BUSY);
                s.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(before()), ZoneOffset.UTC));
                return H2DayTables.single(s);
            }
        }

        public long bytesOnDisk() throws IOException {
            try (PreparedStatement s = connection.prepareStatement(
                    "select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_inherits i"
                            + " join pg_class c on c.oid = i.inhrelid where i.inhparent = ?::regclass")) {
                s.setString(1, table);
                return H2DayTables.single(s);
            } catch (SQLException e) {
                return -1;
            }
        }

        public void close() throws Exception {
            connection.commit();
            connection.close();
        }
    }
}
