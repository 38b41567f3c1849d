package dev.tollgate.metering.rollup;

import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.LatencyFilter;
import dev.tollgate.metering.LatencyGroup;
import dev.tollgate.metering.MeteringConfig;
import dev.tollgate.metering.UsageDimension;
import dev.tollgate.metering.UsageFilter;
import dev.tollgate.metering.UsageGroup;
import dev.tollgate.metering.UsageTotals;
import io.agroal.api.AgroalDataSource;

/**
 * The usage rollups: the usage writer folds every event into the current minutes ({@link #fold}), writes closed
 * minutes once a minute and everything at shutdown ({@link #flush}), and merges and ages stored rows
 * ({@link #maintain}). Queries read the stored rows — whole days at day granularity, whole hours at hour granularity,
 * the rest by the minute — plus this node's minutes not yet written, so a call counts within the writer's flush
 * interval (under a second) on the node that served it, and within a minute on the others.
 * <p>
 * A query and a flush exclude each other (read/write lock), so a minute is counted either from memory or from the
 * database, never both.
 */
@Singleton
public class UsageRollups {

    private static final Logger LOG = Logger.getLogger(UsageRollups.class);
    /** An hour is compacted this long after it ends, once every node's flush has written its last minute. */
    static final long GRACE_MILLIS = 2 * 60_000L;
    /** Hours and days compacted per {@link #maintain()} at most, so a long backlog is worked off in steps. */
    static final int BUCKETS_PER_ROUND = 500;

    private final RollupFolder folder = new RollupFolder();
    private final RollupStore store;
    private final Clock clock;
    private final String node;
    private final long minuteRetentionMillis;
    private final long hourRetentionMillis;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /**
     * Reads the segments of long windows side by side (see {@link #readSegments}): one daemon thread per core at
     * most, each gone after a minute idle; shut down with the bean.
     */
    private final java.util.concurrent.ThreadPoolExecutor readers;

    @jakarta.inject.Inject
    UsageRollups(AgroalDataSource dataSource, Clock clock, MeteringConfig config,
            @ConfigProperty(name = "tollgate.node-id") Optional<String> nodeId,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this(dataSource, clock, config, nodeId.orElseGet(() -> hostName() + ":" + port));
    }

    /** {@code node}: this node's name in the rows it writes (informational; queries sum over nodes). */
    UsageRollups(AgroalDataSource dataSource, Clock clock, MeteringConfig config, String node) {
        this.store = new RollupStore(dataSource);
        this.clock = clock;
        this.node = node.length() > 64 ? node.substring(0, 64) : node;
        this.minuteRetentionMillis = config.minuteRollupRetention().toMillis();
        this.hourRetentionMillis = config.hourRollupRetention().toMillis();
        int cores = Runtime.getRuntime().availableProcessors();
        this.readers = new java.util.concurrent.ThreadPoolExecutor(cores, cores, 1,
                java.util.concurrent.TimeUnit.MINUTES,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "tollgate-rollup-reader");
                    t.setDaemon(true);
                    return t;
                });
        readers.allowCoreThreadTimeOut(true);
    }

    /** Lets the segment reads under way finish (never interrupted: an interrupt can close H2's file channel). */
    @jakarta.annotation.PreDestroy
    void close() {
        readers.shutdown();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "node";
        }
    }

    // --- the writer's side -----------------------------------------------------------------------------------------

    /**
     * Names calls by their APIs' imported endpoints from now on: each API's endpoints as "METHOD /path/{param}"
     * (see {@link PathTemplates}).
     */
    public void useEndpointTemplates(Map<UUID, List<String>> endpoints) {
        folder.templates(PathTemplates.of(endpoints));
    }

    /** Folds a batch of events into the minutes in memory. For the usage writer's thread. */
    public void fold(List<UsageEvent> events) {
        folder.fold(events);
    }

    /**
     * Writes the minutes that have closed (all of them when {@code everything}, at shutdown). A failure keeps them in
     * memory for the next flush and is rethrown.
     */
    public void flush(boolean everything) throws SQLException {
        long current = Granularity.MINUTE.floor(clock.millis());
        List<Long> minutes = new ArrayList<>();
        for (Long minute : folder.minutes()) {
            if (everything || minute < current) {
                minutes.add(minute);
            }
        }
        if (minutes.isEmpty()) {
            return;
        }
        Map<Long, Map<CallKey, Counts>> calls = new LinkedHashMap<>();
        Map<Long, Map<LatencyKey, Latency>> latencies = new LinkedHashMap<>();
        for (Long minute : minutes) {
            calls.put(minute, folder.calls(minute));
            latencies.put(minute, folder.latencies(minute));
        }
        lock.writeLock().lock();
        try {
            store.write(calls, latencies, node);
            folder.remove(minutes);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Compacts what has closed — the minutes of each hour that ended more than {@link #GRACE_MILLIS} ago into hour
     * rows, the hours of each fully compacted day into day rows — and deletes minute and hour rows past their
     * retention (never rows not yet compacted). At most {@link #BUCKETS_PER_ROUND} hours and days per call; for the
     * usage writer's thread. Failures are logged and retried next time.
     */
    public void maintain() {
        long now = clock.millis();
        try {
            RollupStore.Marks marks = store.marks();
            long hours = marks.hoursUntil();
            if (hours == Long.MIN_VALUE) {
                Long oldest = store.oldest(Granularity.MINUTE);
                hours = oldest == null ? Long.MIN_VALUE : Granularity.HOUR.floor(oldest);
            }
            long closedHours = Granularity.HOUR.floor(now - GRACE_MILLIS);
            int done = 0;
            for (long h = hours; h != Long.MIN_VALUE && h < closedHours
                    && done < BUCKETS_PER_ROUND; h += Granularity.HOUR.millis) {
                store.compact(Granularity.MINUTE, Granularity.HOUR, h);
                done++;
            }
            marks = store.marks();
            long days = marks.daysUntil();
            if (days == Long.MIN_VALUE) {
                Long oldest = store.oldest(Granularity.HOUR);
                days = oldest == null ? Long.MIN_VALUE : Granularity.DAY.floor(oldest);
            }
            for (long d = days; d != Long.MIN_VALUE && d + Granularity.DAY.millis <= marks.hoursUntil()
                    && done < BUCKETS_PER_ROUND; d += Granularity.DAY.millis) {
                store.compact(Granularity.HOUR, Granularity.DAY, d);
                done++;
            }
            marks = store.marks();
            int deleted = store.deleteBefore(Granularity.MINUTE, Math.min(now - minuteRetentionMillis,
                    marks.hoursUntil()))
                    + store.deleteBefore(Granularity.HOUR, Math.min(now - hourRetentionMillis, marks.daysUntil()));
            if (deleted > 0) {
                LOG.infof("Deleted %d usage rollup rows past their retention (minutes %d d, hours %d d)", deleted,
                        minuteRetentionMillis / Granularity.DAY.millis, hourRetentionMillis / Granularity.DAY.millis);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Compacting usage rollups failed (%s); retrying later", e.getMessage());
        }
    }

    // --- queries ---------------------------------------------------------------------------------------------------

    /**
     * The totals of the calls in [from, to) that {@code filter} selects, from the wide rollups (every dimension), grouped
     * by {@code by}; with {@link UsageDimension#BUCKET} the buckets are of granularity {@code bucket} (required then).
     * Minutes count when they start inside the window. Groups in no particular order.
     */
    public List<UsageGroup> calls(UsageFilter filter, Instant from, Instant to, Granularity bucket,
            Set<UsageDimension> by) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        return sum(RollupStore.select(filter), start, end, bucket, by,
                sink -> folder.eachCalls(minute -> minute >= start && minute < end, key -> matches(filter, key),
                        (minute, rows) -> rows.forEach((key, counts) -> sink.accept(minute, key, counts))));
    }

    /**
     * Like {@link #calls} but from the narrow rollups of {@code filter}'s scope, which have few rows per bucket: groups
     * by the dimensions the scope holds (BUCKET, API, ENDPOINT, CONSUMER, COUNTRY, MODEL). Their totals split errors
     * into client and server errors only in the endpoint scope (the others' rows before migration V20 count every
     * error as a client error).
     */
    public List<UsageGroup> sums(LatencyFilter filter, Instant from, Instant to, Granularity bucket,
            Set<UsageDimension> by) {
        narrowDimensions(by);
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        return sum(RollupStore.select(filter), start, end, bucket, by,
                sink -> folder.eachLatencies(minute -> minute >= start && minute < end, narrow(filter),
                        (minute, rows) -> rows.forEach((key, latency) -> sink.accept(minute, callKey(key),
                                latency.counts))));
    }

    private List<UsageGroup> sum(RollupStore.Selection rows, long start, long end, Granularity bucket,
            Set<UsageDimension> by, java.util.function.Consumer<RollupStore.CallRows> memory) {
        boolean byBucket = by.contains(UsageDimension.BUCKET);
        if (byBucket && bucket == null) {
            throw new IllegalArgumentException("grouping by bucket needs a granularity");
        }
        Granularity coarsest = byBucket ? bucket : Granularity.DAY;
        Set<UsageDimension> columns = by.isEmpty() ? EnumSet.noneOf(UsageDimension.class) : EnumSet.copyOf(by);
        columns.remove(UsageDimension.BUCKET);
        Map<List<Object>, Counts> groups = new LinkedHashMap<>();
        java.util.function.Function<Map<List<Object>, Counts>, RollupStore.CallRows> sinkInto = into -> (rowBucket,
                key, counts) -> into.computeIfAbsent(groupKey(byBucket ? bucket.floor(rowBucket) : null, key, columns),
                        k -> new Counts()).add(counts);
        read(() -> {
            readSegments(plan(start, end, coarsest), groups, (s, into) -> store.readSums(s.granularity(), s.start(),
                    s.end(), rows, columns, byBucket, sinkInto.apply(into)), Counts::add);
            RollupStore.CallRows sink = sinkInto.apply(groups);
            memory.accept((minute, key, counts) -> sink.accept(minute, project(key, columns), counts));
        });
        List<UsageGroup> result = new ArrayList<>(groups.size());
        groups.forEach((k, counts) -> result.add(new UsageGroup((Instant) k.get(0), (UUID) k.get(1), (String) k.get(2),
                (UUID) k.get(3), (UUID) k.get(4), (UUID) k.get(5), (Integer) k.get(6), (String) k.get(7),
                (String) k.get(8), counts.totals())));
        return result;
    }

    /** The totals of all the calls in [from, to) that {@code filter} selects. */
    public UsageTotals totals(UsageFilter filter, Instant from, Instant to) {
        List<UsageGroup> groups = calls(filter, from, to, null, Set.of());
        return groups.isEmpty() ? UsageTotals.NONE : groups.get(0).totals();
    }

    /**
     * The counts and latency of the calls in [from, to) of the narrow rollups {@code filter} selects, histograms
     * merged per {@code by} (of BUCKET, API, ENDPOINT, CONSUMER, COUNTRY, MODEL; what the scope does not hold is
     * null).
     */
    public List<LatencyGroup> latency(LatencyFilter filter, Instant from, Instant to, Granularity bucket,
            Set<UsageDimension> by) {
        narrowDimensions(by);
        boolean byBucket = by.contains(UsageDimension.BUCKET);
        if (byBucket && bucket == null) {
            throw new IllegalArgumentException("grouping by bucket needs a granularity");
        }
        Granularity coarsest = byBucket ? bucket : Granularity.DAY;
        boolean byApi = by.contains(UsageDimension.API);
        boolean byEndpoint = by.contains(UsageDimension.ENDPOINT);
        boolean byConsumer = by.contains(UsageDimension.CONSUMER);
        boolean byCountry = by.contains(UsageDimension.COUNTRY);
        boolean byModel = by.contains(UsageDimension.MODEL);
        Map<List<Object>, Latency> groups = new LinkedHashMap<>();
        java.util.function.BiFunction<Long, LatencyKey, List<Object>> groupOf = (rowBucket, key) -> java.util.Arrays
                .asList(byBucket ? Instant.ofEpochMilli(bucket.floor(rowBucket)) : null, byApi ? key.apiId() : null,
                        byEndpoint ? key.endpoint() : null, byConsumer ? key.consumerId() : null,
                        byCountry ? key.country() : null,
                        byModel ? key.model() : null);
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        RollupStore.Selection rows = RollupStore.select(filter);
        read(() -> {
            readSegments(plan(start, end, coarsest), groups, (s, into) -> store.readLatencies(s.granularity(),
                    s.start(), s.end(), rows, (rowBucket, key, counts, minMs, histogram) -> {
                        List<Object> k = groupOf.apply(rowBucket, key);
                        Latency sum = into.get(k);
                        if (sum == null) {
                            into.put(k, Latency.decode(counts, minMs, histogram));
                        } else {
                            sum.addEncoded(counts, minMs, histogram);
                        }
                    }), Latency::add);
            folder.eachLatencies(minute -> minute >= start && minute < end, narrow(filter),
                    (minute, found) -> found.forEach((key, latency) -> {
                        Latency sum = groups.putIfAbsent(groupOf.apply(minute, key), latency);
                        if (sum != null) {
                            sum.add(latency);
                        }
                    }));
        });
        List<LatencyGroup> result = new ArrayList<>(groups.size());
        groups.forEach((k, latency) -> result.add(new LatencyGroup((Instant) k.get(0), (UUID) k.get(1),
                (String) k.get(2), (UUID) k.get(3), (String) k.get(4), (String) k.get(5), latency.counts.totals(),
                latency.stats())));
        return result;
    }

    /**
     * How many distinct consumers made calls in each minute of [from, to) that had any (exact across nodes): counted by
     * the database, except the minutes this node still holds in memory, whose consumers are added to those other
     * nodes may have written.
     */
    public Map<Instant, Integer> activeConsumers(Instant from, Instant to) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        Map<Instant, Integer> counts = new HashMap<>();
        read(() -> {
            store.countCallers(start, end, (minute, n) -> counts.put(Instant.ofEpochMilli(minute), n));
            Map<Long, Set<UUID>> held = new HashMap<>();
            folder.eachLatencies(minute -> minute >= start && minute < end, key -> key.scope() == LatencyKey.CALLER,
                    (minute, found) -> found.keySet().forEach(
                            key -> held.computeIfAbsent(minute, m -> new java.util.HashSet<>()).add(key.consumerId())));
            for (Map.Entry<Long, Set<UUID>> minute : held.entrySet()) {
                store.readCallers(minute.getKey(), minute.getKey() + Granularity.MINUTE.millis,
                        (m, consumer) -> minute.getValue().add(consumer));
                counts.put(Instant.ofEpochMilli(minute.getKey()), minute.getValue().size());
            }
        });
        return counts;
    }

    private interface Reading {
        void run() throws SQLException;
    }

    /** Runs a read under the read lock (never while a flush moves minutes from memory to the tables). */
    private void read(Reading reading) {
        lock.readLock().lock();
        try {
            reading.run();
        } catch (SQLException e) {
            throw new IllegalStateException("Reading usage rollups failed", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Narrow rows hold no key or plan, and no status class: endpoint rows carry client and server errors as counts
     * (before migration V20 they were split by status class, so grouping by it would mix 0 with 4 and 5).
     */
    private static void narrowDimensions(Set<UsageDimension> by) {
        if (by.contains(UsageDimension.KEY) || by.contains(UsageDimension.PLAN)
                || by.contains(UsageDimension.STATUS_CLASS)) {
            throw new IllegalArgumentException("narrow rollups hold no key, plan or status class");
        }
    }

    /** Reads one segment's rows into a map of groups. */
    private interface SegmentReader<V> {
        void read(Granularity.Segment segment, Map<List<Object>, V> into) throws SQLException;
    }

    /**
     * Reads the segments of a window into {@code groups}, several at a time when there are several: a month is
     * about as many hour rows at its two ends as day rows in between, so the reads of one query share the cores
     * (the readers' pool has one thread per core; this thread reads the first segment itself). Each segment fills
     * a map of its own; they are merged in the segments' order.
     */
    private <V> void readSegments(List<Granularity.Segment> segments, Map<List<Object>, V> groups,
            SegmentReader<V> reader, java.util.function.BiConsumer<V, V> merge) throws SQLException {
        List<java.util.concurrent.Future<Map<List<Object>, V>>> others = new ArrayList<>();
        List<Granularity.Segment> inline = new ArrayList<>(segments.subList(0, Math.min(1, segments.size())));
        for (Granularity.Segment s : segments.subList(inline.size(), segments.size())) {
            try {
                others.add(readers.submit(() -> {
                    Map<List<Object>, V> into = new HashMap<>();
                    reader.read(s, into);
                    return into;
                }));
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                inline.add(s); // the bean is being destroyed: this thread reads it
            }
        }
        try {
            for (Granularity.Segment s : inline) {
                reader.read(s, groups);
            }
            for (java.util.concurrent.Future<Map<List<Object>, V>> other : others) {
                other.get().forEach((k, v) -> {
                    V sum = groups.putIfAbsent(k, v);
                    if (sum != null) {
                        merge.accept(sum, v);
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading usage rollups", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("Reading usage rollups failed", e.getCause());
        } finally {
            others.forEach(f -> f.cancel(false)); // never interrupt a read: an interrupt can close H2's file channel
        }
    }

    private List<Granularity.Segment> plan(long start, long end, Granularity coarsest) throws SQLException {
        RollupStore.Marks marks = store.marks();
        return Granularity.plan(start, end, coarsest, marks.hoursUntil(), marks.daysUntil());
    }

    /** The narrow rollups in memory that {@code filter} selects. */
    private static Predicate<LatencyKey> narrow(LatencyFilter filter) {
        char scope = RollupStore.scope(filter.scope());
        return key -> key.scope() == scope && (filter.apiIds() == null || filter.apiIds().contains(key.apiId()))
                && (filter.consumerId() == null || filter.consumerId().equals(key.consumerId()));
    }

    /** A narrow rollup's key as a wide one (no key or plan). */
    private static CallKey callKey(LatencyKey key) {
        return new CallKey(key.apiId(), key.endpoint(), key.consumerId(), null, null, key.statusClass(), key.country(),
                key.model());
    }

    private static boolean matches(UsageFilter filter, CallKey key) {
        return (filter.apiIds() == null || filter.apiIds().contains(key.apiId()))
                && (filter.consumerId() == null || filter.consumerId().equals(key.consumerId()))
                && (filter.keyId() == null || filter.keyId().equals(key.keyId()))
                && (filter.ai() == null || filter.ai() == (key.model() != null));
    }

    /** The key with only the grouped fields kept, as the database returns it. */
    private static CallKey project(CallKey key, Set<UsageDimension> columns) {
        return new CallKey(columns.contains(UsageDimension.API) ? key.apiId() : null,
                columns.contains(UsageDimension.ENDPOINT) ? key.endpoint() : null,
                columns.contains(UsageDimension.CONSUMER) ? key.consumerId() : null,
                columns.contains(UsageDimension.KEY) ? key.keyId() : null,
                columns.contains(UsageDimension.PLAN) ? key.planId() : null,
                columns.contains(UsageDimension.STATUS_CLASS) ? key.statusClass() : 0,
                columns.contains(UsageDimension.COUNTRY) ? key.country() : null,
                columns.contains(UsageDimension.MODEL) ? key.model() : null);
    }

    private static List<Object> groupKey(Long bucket, CallKey key, Set<UsageDimension> columns) {
        return java.util.Arrays.asList(bucket == null ? null : Instant.ofEpochMilli(bucket), key.apiId(),
                key.endpoint(), key.consumerId(), key.keyId(), key.planId(),
                columns.contains(UsageDimension.STATUS_CLASS) ? key.statusClass() : null, key.country(),
                key.model());
    }
}
