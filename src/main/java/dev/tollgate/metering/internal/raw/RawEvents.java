package dev.tollgate.metering.internal.raw;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.MeteringConfig;
import dev.tollgate.metering.UsageQueries.CallLog;
import dev.tollgate.metering.UsageQueries.Page;
import dev.tollgate.metering.UsageQueries.StatusFilter;
import dev.tollgate.platform.db.DatabaseSelection;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * Raw usage events (request logs): what each call was, kept for {@code tollgate.metering.raw-retention} in a store
 * built for appends and time-range scans, one table per UTC day: on the embedded default an H2 database of its own
 * ({@code <data dir>/usage/raw}, in memory when the main database is), on PostgreSQL a table partitioned by day in
 * the main database. Figures (metrics, quotas, analytics) are not read from here but from rollups.
 * <p>
 * {@link #append} is called by the usage writer thread only. At start-up, and then every hour, days that are wholly
 * older than the retention are dropped (a table each); once, rows of the main database's former
 * {@code usage_events} table are moved here.
 */
@Singleton
public class RawEvents {

    private static final Logger LOG = Logger.getLogger(RawEvents.class);
    static final int LEGACY_CHUNK = 10_000;
    static final String IN_MEMORY_URL = "jdbc:h2:mem:tollgate-usage-raw;DB_CLOSE_DELAY=-1";

    private final RawStore store;
    private final AgroalDataSource mainDatabase;
    private final Clock clock;
    private final double sample;
    private final Duration retention;
    /** Orders calls of the same millisecond, newest last; starts past any value an earlier run could have used. */
    private final AtomicLong seq;
    /** The writer thread's buffer of kept events. */
    private final List<UsageEvent> kept = new ArrayList<>();
    private ScheduledExecutorService maintenance;

    @Inject
    RawEvents(MeteringConfig config, Clock clock, AgroalDataSource mainDatabase,
            @ConfigProperty(name = DatabaseSelection.KIND_PROPERTY) String kind,
            @ConfigProperty(name = "tollgate.data-dir") String dataDir,
            @ConfigProperty(name = "quarkus.datasource.embedded.jdbc.url") String embeddedUrl) throws Exception {
        this(open(kind, dataDir, embeddedUrl, mainDatabase), mainDatabase, clock, config.rawSample(),
                config.rawRetention());
    }

    RawEvents(RawStore store, AgroalDataSource mainDatabase, Clock clock, double sample, Duration retention) {
        if (!(sample > 0 && sample <= 1)) {
            throw new IllegalArgumentException("tollgate.metering.raw-sample must be more than 0 and at most 1, not "
                    + sample);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("tollgate.metering.raw-retention must be positive, not " + retention);
        }
        this.store = store;
        this.mainDatabase = mainDatabase;
        this.clock = clock;
        this.sample = sample;
        this.retention = retention;
        this.seq = new AtomicLong(System.currentTimeMillis() * 1000);
    }

    /**
     * The store for the active database: PostgreSQL's partitions, or the H2 database beside the main one (in memory
     * when the main one is).
     */
    static RawStore open(String kind, String dataDir, String embeddedUrl, AgroalDataSource mainDatabase)
            throws Exception {
        if ("postgresql".equals(kind)) {
            return new PostgresPartitions(mainDatabase);
        }
        if (embeddedUrl.startsWith("jdbc:h2:mem:")) {
            return new H2DayTables(IN_MEMORY_URL);
        }
        Path dir = Path.of(dataDir, "usage");
        Files.createDirectories(dir);
        return new H2DayTables("jdbc:h2:file:" + dir.toAbsolutePath().resolve("raw") + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    void start(@Observes StartupEvent ignored) {
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tollgate-raw-usage-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        maintenance.execute(() -> {
            try {
                if (store.legacyProgress() != Long.MAX_VALUE) {
                    moveLegacyEvents();
                    store.legacyFinished();
                }
            } catch (Exception e) {
                LOG.errorf(e, "Moving usage_events into the raw usage store failed; it resumes at the next start");
            }
        });
        maintenance.scheduleWithFixedDelay(this::dropExpiredQuietly, 0, 1, TimeUnit.HOURS);
    }

    /**
     * Writes the kept events of {@code batch} (all errors, the sampled share of successes) in one transaction: if it
     * throws, nothing of the batch was written and the same batch can be appended again. Writer thread only.
     */
    public void append(List<UsageEvent> batch) throws Exception {
        kept.clear();
        for (UsageEvent e : batch) {
            if (RawSampling.keeps(e.requestId(), e.status(), sample)) {
                kept.add(e);
            }
        }
        if (!kept.isEmpty()) {
            store.append(kept, seq.getAndAdd(kept.size()));
        }
        kept.clear();
    }

    /** One API's calls, newest first, with their total; {@code from} inclusive, {@code to} exclusive, null: open. */
    public Page<CallLog> logs(UUID apiId, StatusFilter status, Instant from, Instant to, int skip, int limit) {
        try {
            return store.logs(apiId, status, from, to, skip, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading call logs failed", e);
        }
    }

    private void dropExpiredQuietly() {
        try {
            dropExpired();
        } catch (Exception e) {
            LOG.errorf(e, "Dropping expired raw usage events failed; retrying in an hour");
        }
    }

    /** Drops every day that ended at least the retention ago (by the clock); returns the days dropped. */
    public List<LocalDate> dropExpired() throws SQLException {
        LocalDate firstKept = LocalDate.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
        List<LocalDate> dropped = new ArrayList<>();
        for (LocalDate day : store.days()) {
            if (day.isBefore(firstKept)) {
                store.drop(day);
                dropped.add(day);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.infof("Dropped raw usage events of %d day(s), %s to %s (retention %s)", dropped.size(),
                    dropped.get(0), dropped.get(dropped.size() - 1), retention);
        }
        return dropped;
    }

    /**
     * Moves rows of the main database's {@code usage_events} not moved yet, in chunks of {@link #LEGACY_CHUNK} by id,
     * each chunk in one transaction with the progress, so an interrupted move resumes without duplicates. Returns
     * the rows moved.
     */
    public long moveLegacyEvents() throws SQLException {
        long after = store.legacyProgress();
        if (after == Long.MAX_VALUE) {
            return 0;
        }
        long remaining;
        try (Connection connection = mainDatabase.getConnection();
                PreparedStatement count = connection
                        .prepareStatement("select count(*) from usage_events where id > ?")) {
            count.setLong(1, after);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                remaining = rs.getLong(1);
            }
        }
        if (remaining == 0) {
            return 0;
        }
        LOG.infof("Moving %d usage events from usage_events into the raw usage store", remaining);
        long moved = 0;
        while (true) {
            List<UsageEvent> events = new ArrayList<>(LEGACY_CHUNK);
            long[] ids = new long[LEGACY_CHUNK];
            try (Connection connection = mainDatabase.getConnection();
                    PreparedStatement select = connection.prepareStatement("select id, request_id, api_id,"
                            + " consumer_id, key_id, plan_id, method, path, status, latency_ms, upstream_latency_ms,"
                            + " bytes_in, bytes_out, at, dispatched, model, input_tokens, output_tokens, cached_tokens,"
                            + " tokens_estimated, cost_micros, input_per_million, output_per_million,"
                            + " cached_input_per_million, channel_id from usage_events where id > ? order by id"
                            + " fetch first " + LEGACY_CHUNK + " rows only")) {
                select.setLong(1, after);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids[events.size()] = rs.getLong(1);
                        events.add(legacyEvent(rs));
                    }
                }
            }
            if (events.isEmpty()) {
                break;
            }
            long last = ids[events.size() - 1];
            if (!store.appendLegacy(events, ids, after, last)) {
                LOG.info("Another node is moving usage_events into the raw usage store; leaving it to it");
                break;
            }
            after = last;
            moved += events.size();
            LOG.infof("Moved %d of %d usage events into the raw usage store", moved, remaining);
        }
        return moved;
    }

    private static UsageEvent legacyEvent(ResultSet rs) throws SQLException {
        int upstream = rs.getInt(11);
        if (rs.wasNull()) {
            upstream = -1;
        }
        UsageEvent.Ai ai = null;
        String model = rs.getString(16);
        if (model != null) {
            long cachedPrice = rs.getLong(24);
            if (rs.wasNull()) {
                cachedPrice = -1;
            }
            ai = new UsageEvent.Ai(model, rs.getLong(17), rs.getLong(18), rs.getLong(19), rs.getBoolean(20),
                    rs.getLong(21), rs.getLong(22), rs.getLong(23), cachedPrice, rs.getObject(25, UUID.class));
        }
        return new UsageEvent(rs.getString(2), rs.getObject(3, UUID.class), rs.getObject(4, UUID.class),
                rs.getObject(5, UUID.class), rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8),
                rs.getInt(9), rs.getInt(10), upstream, rs.getLong(12), rs.getLong(13),
                rs.getObject(14, OffsetDateTime.class).toInstant().toEpochMilli(), rs.getBoolean(15), null, ai);
    }

    @PreDestroy
    void stop() {
        if (maintenance != null) {
            maintenance.shutdownNow();
            try {
                maintenance.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.close();
    }
}
