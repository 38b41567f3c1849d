package dev.tollgate.metering.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.gateway.UsageSink;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.metering.MeteringConfig;
import dev.tollgate.metering.rollup.UsageRollups;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The gateway's usage events, queued in memory (bounded, never blocking the event loop) and written by one thread in
 * JDBC batches. A full queue drops the event, counts it ({@code tollgate_usage_events_dropped_total}) and logs at most
 * once a minute; a failing database is retried with the batch kept, so events are lost only once the queue overflows.
 * On shutdown the queue is written out.
 */
@Singleton
class UsageRecorder implements UsageSink {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
    private static final String INSERT = "insert into usage_events (request_id, api_id, consumer_id, key_id, plan_id,"
            + " method, path, status, latency_ms, upstream_latency_ms, bytes_in, bytes_out, at, dispatched, model,"
            + " input_tokens, output_tokens, cached_tokens, tokens_estimated, cost_micros, input_per_million,"
            + " output_per_million, cached_input_per_million, channel_id)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final ArrayBlockingQueue<UsageEvent> queue;
    private final AgroalDataSource dataSource;
    private final ApiKeys keys;
    private final int batchSize;
    private final long flushMillis;
    private final String countryHeader;
    private final Counter dropped;
    private final Counter written;
    /** Gateway calls by status class: index 1 = 1xx ... 5 = 5xx. */
    private final Counter[] calls = new Counter[6];
    /** Latest use of each key not yet written to {@code last_used_at}; written at most once a second. */
    private final Map<UUID, Instant> pendingUse = new HashMap<>();
    private long lastTouchNanos;
    private final AtomicLong lastDropWarning = new AtomicLong();
    private volatile boolean running;
    private final UsageRollups rollups;
    private final Clock clock;
    private long nextRollupFlush;
    private long nextMaintenance;
    private Thread writer;

    UsageRecorder(MeteringConfig config, AgroalDataSource dataSource, ApiKeys keys, MeterRegistry registry,
            UsageRollups rollups, Clock clock) {
        this.rollups = rollups;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.dataSource = dataSource;
        this.keys = keys;
        this.batchSize = config.batchSize();
        this.flushMillis = config.flushInterval().toMillis();
        this.countryHeader = config.countryHeader().orElse(null);
        this.dropped = Counter.builder("tollgate_usage_events_dropped").description(
                "Usage events lost because the queue was full").register(registry);
        this.written = Counter.builder("tollgate_usage_events_written").description("Usage events written")
                .register(registry);
        for (int i = 1; i <= 5; i++) {
            calls[i] = Counter.builder("tollgate_gateway_calls").description("Gateway calls by status class")
                    .tag("status", i + "xx").register(registry);
        }
        Gauge.builder("tollgate_usage_queue_depth", queue, ArrayBlockingQueue::size)
                .description("Usage events waiting to be written").register(registry);
    }

    void start(@Observes StartupEvent ignored) {
        running = true;
        writer = new Thread(this::run, "tollgate-usage-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public boolean offer(UsageEvent event) {
        count(event.status());
        if (queue.offer(event)) {
            return true;
        }
        dropped.increment();
        long now = System.currentTimeMillis();
        long last = lastDropWarning.get();
        if (now - last > 60_000 && lastDropWarning.compareAndSet(last, now)) {
            LOG.warnf("Usage queue full (%d events): events are being dropped; see tollgate_usage_events_dropped",
                    queue.size());
        }
        return false;
    }

    /**
     * Collects events for up to the flush interval (or a full batch) after the first one arrives, so that a steady
     * stream is written in few large batches rather than many small ones.
     */
    @Override
    public String countryHeader() {
        return countryHeader;
    }

    @Override
    public void unattributed(int status) {
        count(status);
    }

    private void count(int status) {
        int statusClass = status / 100;
        if (statusClass >= 1 && statusClass <= 5) {
            calls[statusClass].increment();
        }
    }

    private void run() {
        List<UsageEvent> batch = new ArrayList<>(batchSize);
        boolean folded = false;
        long flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
        while (running || !queue.isEmpty()) {
            try {
                rollUp(false);
                if (batch.isEmpty()) {
                    UsageEvent first = queue.poll(flushMillis, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        touchKeys(false);
                        continue;
                    }
                    batch.add(first);
                    long deadline = System.nanoTime() + flushNanos;
                    while (batch.size() < batchSize && running) {
                        queue.drainTo(batch, batchSize - batch.size());
                        long left = deadline - System.nanoTime();
                        if (batch.size() >= batchSize || left <= 0) {
                            break;
                        }
                        UsageEvent next = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                    }
                    queue.drainTo(batch, batchSize - batch.size());
                }
                if (!folded) {
                    rollups.fold(batch); // once per batch, however often writing it is retried
                    folded = true;
                }
                write(batch);
                batch.clear();
                folded = false;
                touchKeys(!running);
            } catch (InterruptedException e) {
                running = false;
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    LOG.errorf("Writing usage events at shutdown failed (%s); %d events are lost", e.getMessage(),
                            batch.size() + queue.size());
                    break;
                }
                LOG.errorf("Writing %d usage events failed (%s); retrying in 1 s", batch.size(), e.getMessage());
                sleepQuietly(1000);
            }
        }
        rollUp(true);
    }

    /**
     * Writes the rollups of closed minutes once a minute (a second into the next one), all of them at shutdown, and
     * compacts stored rollups every ten minutes. A failed write keeps them in memory and is retried a minute later.
     */
    private void rollUp(boolean shutdown) {
        long now = clock.millis();
        if (!shutdown && now < nextRollupFlush) {
            return;
        }
        try {
            rollups.flush(shutdown);
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.errorf("Writing usage rollups failed (%s); they stay in memory and are retried in a minute",
                    e.getMessage());
        }
        nextRollupFlush = (now / 60_000 + 1) * 60_000 + 1_000;
        if (!shutdown && now >= nextMaintenance) {
            rollups.maintain();
            nextMaintenance = now + 10 * 60_000;
        }
    }

    /** Writes keys' latest use, at most once a second unless {@code now}. */
    private void touchKeys(boolean now) {
        if (pendingUse.isEmpty() || (!now && System.nanoTime() - lastTouchNanos < 1_000_000_000L)) {
            return;
        }
        keys.touch(new HashMap<>(pendingUse));
        pendingUse.clear();
        lastTouchNanos = System.nanoTime();
    }

    private void write(List<UsageEvent> batch) throws SQLException {
        Map<UUID, Instant> lastUse = pendingUse;
        try (Connection connection = dataSource.getConnection()) {
            // one commit per batch: in auto-commit mode every row would be a commit of its own
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (UsageEvent e : batch) {
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
                    insert.setObject(13, OffsetDateTime.ofInstant(Instant.ofEpochMilli(e.atMillis()), ZoneOffset.UTC));
                    insert.setBoolean(14, e.dispatched());
                    UsageEvent.Ai ai = e.ai();
                    insert.setString(15, ai == null ? null : ai.model());
                    insert.setObject(16, ai == null ? null : ai.inputTokens(), Types.BIGINT);
                    insert.setObject(17, ai == null ? null : ai.outputTokens(), Types.BIGINT);
                    insert.setObject(18, ai == null ? null : ai.cachedInputTokens(), Types.BIGINT);
                    insert.setObject(19, ai == null ? null : ai.estimated(), Types.BOOLEAN);
                    insert.setObject(20, ai == null ? null : ai.costMicros(), Types.BIGINT);
                    insert.setObject(21, ai == null ? null : ai.inputMicrosPerMillion(), Types.BIGINT);
                    insert.setObject(22, ai == null ? null : ai.outputMicrosPerMillion(), Types.BIGINT);
                    insert.setObject(23, ai == null || ai.cachedInputMicrosPerMillion() < 0
                            ? null
                            : ai.cachedInputMicrosPerMillion(), Types.BIGINT);
                    insert.setObject(24, ai == null ? null : ai.channelId());
                    insert.addBatch();
                    lastUse.merge(e.keyId(), Instant.ofEpochMilli(e.atMillis()), (a, b) -> a.isAfter(b) ? a : b);
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        written.increment(batch.size());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
