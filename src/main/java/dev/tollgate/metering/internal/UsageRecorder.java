package dev.tollgate.metering.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.gateway.UsageSink;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.metering.MeteringConfig;
import dev.tollgate.metering.internal.raw.RawEvents;
import dev.tollgate.metering.rollup.UsageRollups;
import dev.tollgate.platform.WorkQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The gateway's usage events, queued in memory (bounded, never blocking the event loop) and written by one thread in
 * batches to the raw usage store ({@link RawEvents}). A full queue drops the event, counts it ({@code tollgate_usage_events_dropped_total}) and logs at most
 * once a minute; a failing database is retried with the batch kept, so events are lost only once the queue overflows.
 * On shutdown the queue is written out; {@link #drain} writes out what is queued, the rollups of the current minutes
 * and keys' latest use without stopping (the services restart of {@code POST /api/v1/system/restart}).
 */
@Singleton
class UsageRecorder implements UsageSink, WorkQueue {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final ArrayBlockingQueue<UsageEvent> queue;
    private final RawEvents rawEvents;
    private final ApiKeys keys;
    private final int batchSize;
    private final long flushMillis;
    private final String countryHeader;
    private final GeoIp geoIp;
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
    private final QuotaAlerts quotaAlerts;
    private final Clock clock;
    private long nextRollupFlush;
    private long nextMaintenance;
    private Thread writer;
    /** Events the queue accepted, ever. */
    private final LongAdder accepted = new LongAdder();
    /** Events written, ever; only the writer thread adds to it. */
    private volatile long writtenEvents;
    /** The most accepted events a {@link #drain} waits to see written (with the rollups and keys' latest use). */
    private final AtomicLong drainTarget = new AtomicLong(-1);
    /** {@link #writtenEvents} when the writer last wrote rollups and keys' latest use for a drain. */
    private volatile long flushedThrough = -1;
    /** How often writing the rollups for a drain failed; a drain waiting meanwhile answers false. */
    private volatile long drainFailures;
    /**
     * The writer waits for events in slices of at most this long, so that a drain waiting for it is noticed soon
     * even with a long flush interval (a wake-up ten times a second when idle costs nothing measurable).
     */
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    UsageRecorder(MeteringConfig config, RawEvents rawEvents, ApiKeys keys, MeterRegistry registry,
            UsageRollups rollups, QuotaAlerts quotaAlerts, Clock clock) {
        this.rollups = rollups;
        this.quotaAlerts = quotaAlerts;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.rawEvents = rawEvents;
        this.keys = keys;
        this.batchSize = config.batchSize();
        this.flushMillis = config.flushInterval().toMillis();
        this.countryHeader = config.countryHeader().orElse(null);
        this.geoIp = config.geoipDatabase().map(UsageRecorder::loadGeoIp).orElse(null);
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
            accepted.increment();
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

    private static GeoIp loadGeoIp(java.nio.file.Path file) {
        try {
            return GeoIp.load(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot load the GeoIP database set as tollgate.metering.geoip-database ("
                    + file + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String countryOf(io.vertx.core.http.HttpServerRequest request) {
        if (countryHeader != null) {
            String country = request.getHeader(countryHeader);
            if (country != null && !country.isBlank()) {
                return country;
            }
        }
        if (geoIp == null) {
            return null;
        }
        io.vertx.core.net.SocketAddress client = request.remoteAddress();
        return client == null ? null : geoIp.country(client.hostAddress());
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

    /**
     * Collects events for up to the flush interval (or a full batch) after the first one arrives, so that a steady
     * stream is written in few large batches rather than many small ones.
     */
    private void run() {
        List<UsageEvent> batch = new ArrayList<>(batchSize);
        boolean folded = false;
        long flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
        while (running || !queue.isEmpty()) {
            try {
                rollUp(false);
                if (batch.isEmpty() && drainWaiting() && writtenEvents >= drainTarget.get()) {
                    flushForDrain();
                }
                if (batch.isEmpty()) {
                    UsageEvent first = queue.poll(Math.min(flushNanos, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
                    if (first == null) {
                        touchKeys(false);
                        continue;
                    }
                    batch.add(first);
                    long deadline = System.nanoTime() + flushNanos;
                    // a drain waiting cuts the collecting short: what is queued now is written at once
                    while (batch.size() < batchSize && running && !drainWaiting()) {
                        queue.drainTo(batch, batchSize - batch.size());
                        long left = deadline - System.nanoTime();
                        if (batch.size() >= batchSize || left <= 0) {
                            break;
                        }
                        UsageEvent next = queue.poll(Math.min(left, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
                        if (next != null) {
                            batch.add(next);
                        }
                    }
                    queue.drainTo(batch, batchSize - batch.size());
                }
                if (!folded) {
                    rollups.fold(batch); // once per batch, however often writing it is retried
                    folded = true;
                }
                write(batch);
                alertQuotas(batch);
                batch.clear();
                folded = false;
                touchKeys(!running);
            } catch (InterruptedException e) {
                running = false;
            } catch (Exception e) {
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

    /** Tells consumers about quotas the written calls used up; a failure here never holds up usage writing. */
    private void alertQuotas(List<UsageEvent> batch) {
        try {
            quotaAlerts.check(batch);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Checking the quotas of %d calls failed", batch.size());
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

    private void write(List<UsageEvent> batch) throws Exception {
        Map<UUID, Instant> lastUse = pendingUse;
        for (UsageEvent e : batch) {
            lastUse.merge(e.keyId(), Instant.ofEpochMilli(e.atMillis()), (a, b) -> a.isAfter(b) ? a : b);
        }
        rawEvents.append(batch);
        written.increment(batch.size());
        writtenEvents += batch.size(); // only this thread writes it
    }

    private boolean drainWaiting() {
        return drainTarget.get() > flushedThrough;
    }

    /** On the writer thread, between batches, once the events a drain waits for are written: the rest of it. */
    private void flushForDrain() {
        long through = writtenEvents;
        long target = drainTarget.get();
        try {
            rollups.flush(true);
            touchKeys(true);
            flushedThrough = through;
        } catch (java.sql.SQLException | RuntimeException e) {
            // the waiting drains fail; the rollups stay in memory for the writer's own flushes to retry
            LOG.errorf("Writing usage rollups for a drain failed (%s); they stay in memory", e.getMessage());
            drainFailures++; // only this thread writes it
            drainTarget.compareAndSet(target, flushedThrough);
        }
    }

    @Override
    public String name() {
        return "usage_events";
    }

    @Override
    public int depth() {
        return queue.size();
    }

    @Override
    public int capacity() {
        return queue.size() + queue.remainingCapacity();
    }

    /**
     * Waits until the writer has written every event accepted before the call, then has it write the rollups of all
     * minutes in memory (the current ones too: rollup rows add up, so the rest of a minute is written later as more
     * rows) and keys' latest use. The writer keeps running: calls go on being recorded meanwhile.
     */
    @Override
    public boolean drain(java.time.Duration timeout) throws InterruptedException {
        long target = accepted.sum();
        long failures = drainFailures;
        drainTarget.accumulateAndGet(target, Math::max);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (flushedThrough < target) {
            if (!running || drainFailures != failures || System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the writer when the application starts shutting down, before the datasources and the raw-event store
     * close, so that what it holds — queued events and the rollups of the current minutes — is written.
     */
    void onShutdown(@Observes ShutdownEvent ignored) {
        stop();
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
