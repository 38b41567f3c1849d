package dev.tollgate.metering.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.LatencyFilter;
import dev.tollgate.metering.LatencyGroup;
import dev.tollgate.metering.MeteringConfig;
import dev.tollgate.metering.UsageDimension;
import dev.tollgate.metering.UsageFilter;
import dev.tollgate.metering.UsageGroup;
import dev.tollgate.metering.UsageTotals;
import io.agroal.api.AgroalDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The usage rollups against the real database: exact counts from memory and from the tables alike, several nodes
 * merging exactly, compaction and retention changing no figure, a restart double-counting nothing. Each test uses its
 * own API ids and its own clock (not the application's), so the rollups of other tests do not interfere.
 */
abstract class RollupsScenarios {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeteringConfig config;

    private final UUID api = UUID.randomUUID();
    private final UUID consumer = UUID.randomUUID();
    private final UUID key = UUID.randomUUID();

    /** A clock a test sets. */
    static final class ManualClock extends Clock {
        volatile Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private UsageRollups node(ManualClock clock, String name) {
        return new UsageRollups(dataSource, clock, config, name);
    }

    private UsageEvent event(Instant at, String path, int status, int latencyMs, String country) {
        return new UsageEvent(UUID.randomUUID().toString(), api, consumer, key, null, "GET", path, status, latencyMs,
                latencyMs, 10, 100, at.toEpochMilli(), status < 400, country, null);
    }

    /** 2 minutes x (3 successes on /items/1..3, one 404, one 502), latencies 10..50 ms. */
    private List<UsageEvent> sample(Instant minute) {
        List<UsageEvent> events = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            Instant at = minute.plusSeconds(60L * m + 5);
            events.add(event(at, "/gw/shop/items/1", 200, 10, "DE"));
            events.add(event(at, "/gw/shop/items/2", 200, 20, "de"));
            events.add(event(at, "/gw/shop/items/3", 200, 30, null));
            events.add(event(at, "/gw/shop/missing", 404, 40, "FR"));
            events.add(event(at, "/gw/shop/items/4", 502, 50, "FR"));
        }
        return events;
    }

    private UsageTotals totals(UsageRollups rollups, Instant from, Instant to) {
        return rollups.totals(UsageFilter.api(api), from, to);
    }

    private Map<Object, Long> callsBy(UsageRollups rollups, UsageDimension by, Instant from, Instant to) {
        return rollups.calls(UsageFilter.api(api), from, to, null, EnumSet.of(by)).stream()
                .collect(Collectors.toMap(g -> switch (by) {
                    case ENDPOINT -> g.endpoint();
                    case COUNTRY -> g.country();
                    case STATUS_CLASS -> g.statusClass();
                    default -> throw new IllegalArgumentException();
                }, g -> g.totals().calls()));
    }

    @Test
    void counts_are_exact_before_and_after_the_minutes_are_written() throws Exception {
        Instant minute = Instant.parse("2026-06-10T12:00:00Z");
        ManualClock clock = new ManualClock(minute.plusSeconds(90));
        UsageRollups rollups = node(clock, "a");
        rollups.fold(sample(minute));
        Instant from = minute.minusSeconds(3600);
        Instant to = minute.plusSeconds(3600);

        for (int round = 0; round < 2; round++) {
            UsageTotals t = totals(rollups, from, to);
            assertThat(t.calls()).isEqualTo(10);
            assertThat(t.errors()).isEqualTo(4);
            assertThat(t.dispatched()).isEqualTo(6);
            assertThat(t.bytesIn()).isEqualTo(100);
            assertThat(t.bytesOut()).isEqualTo(1000);
            assertThat(t.latencySumMs()).isEqualTo(300);
            assertThat(t.latencyMaxMs()).isEqualTo(50);
            assertThat(callsBy(rollups, UsageDimension.ENDPOINT, from, to)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("GET /items/{id}", 8L, "GET /missing", 2L));
            assertThat(callsBy(rollups, UsageDimension.COUNTRY, from, to)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("DE", 4L, "FR", 4L, "unknown", 2L));
            assertThat(callsBy(rollups, UsageDimension.STATUS_CLASS, from, to)).containsExactlyInAnyOrderEntriesOf(
                    Map.of(2, 6L, 4, 2L, 5, 2L));
            // per minute: one minute of the two is closed and written by the first flush, the second at "shutdown"
            List<UsageGroup> perMinute = rollups.calls(UsageFilter.api(api), from, to, Granularity.MINUTE,
                    EnumSet.of(UsageDimension.BUCKET));
            assertThat(perMinute).extracting(g -> g.bucket().toString() + "=" + g.totals().calls())
                    .containsExactlyInAnyOrder("2026-06-10T12:00:00Z=5", "2026-06-10T12:01:00Z=5");
            List<LatencyGroup> latency = rollups.latency(LatencyFilter.apis(Set.of(api)), from, to, null, Set.of());
            assertThat(latency).hasSize(1);
            assertThat(latency.get(0).stats().calls()).isEqualTo(10);
            assertThat(latency.get(0).stats().avg()).isEqualTo(30.0);
            assertThat(latency.get(0).stats().p50()).isEqualTo(30);
            assertThat(latency.get(0).stats().max()).isEqualTo(50);
            assertThat(rollups.latency(LatencyFilter.geography(Set.of(api)), from, to, null,
                    EnumSet.of(UsageDimension.COUNTRY)))
                    .extracting(g -> g.country() + "=" + g.stats().calls() + "/" + g.totals().errors())
                    .containsExactlyInAnyOrder("DE=4/0", "unknown=2/0", "FR=4/4");
            assertThat(rollups.latency(LatencyFilter.consumers(Set.of(api)), from, to, null,
                    EnumSet.of(UsageDimension.CONSUMER)))
                    .extracting(g -> g.consumerId() + "=" + g.stats().calls())
                    .containsExactly(consumer + "=10");
            // the first round reads memory only; then the closed minute goes to the tables, then the rest
            rollups.flush(false);
            assertThat(rows("usage_rollups", "m")).isEqualTo(round == 0 ? 4 : 8);
            rollups.flush(true);
        }
        assertThat(rows("usage_rollups", "m")).isEqualTo(8);
        // a window that leaves the first minute out
        assertThat(totals(rollups, minute.plusSeconds(60), to).calls()).isEqualTo(5);
    }

    @Test
    void the_rollups_of_two_nodes_merge_exactly_and_compaction_changes_no_figure() throws Exception {
        Instant now = Instant.parse("2026-06-10T15:30:00Z");
        Instant minute = now.minus(Duration.ofMinutes(90)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        ManualClock clock = new ManualClock(now);
        UsageRollups a = node(clock, "a");
        UsageRollups b = node(clock, "b");
        a.fold(sample(minute));
        b.fold(sample(minute));
        b.fold(List.of(event(minute.plusSeconds(1), "/gw/shop/items/9", 200, 1000, "US")));
        a.flush(true);
        b.flush(true);
        UsageRollups reader = node(clock, "reader");
        Instant from = minute.minus(Duration.ofDays(2));
        UsageTotals before = totals(reader, from, now);
        assertThat(before.calls()).isEqualTo(21);
        assertThat(before.errors()).isEqualTo(8);
        LatencyGroup latencyBefore = reader
                .latency(LatencyFilter.apis(Set.of(api)), from, now, null, Set.of()).get(0);
        assertThat(latencyBefore.stats().calls()).isEqualTo(21);
        assertThat(latencyBefore.stats().max()).isEqualTo(1000);

        reader.maintain();

        // the hour of the calls has closed: it is read from hour rows now (written by compaction, or by the flushes
        // themselves when another test's clock had moved compaction past it already)
        assertThat(store().marks().hoursUntil()).isGreaterThan(minute.toEpochMilli());
        assertThat(rows("usage_rollups", "h")).isPositive();
        assertThat(rows("usage_latency", "h")).isPositive();
        assertThat(totals(reader, from, now)).isEqualTo(before);
        assertThat(reader.latency(LatencyFilter.apis(Set.of(api)), from, now, null, Set.of()).get(0))
                .isEqualTo(latencyBefore);
        assertThat(reader.latency(LatencyFilter.consumer(consumer, null), from, now, null, Set.of()).get(0)
                .stats().calls()).isEqualTo(21);
        // compacting again changes nothing
        reader.maintain();
        assertThat(totals(reader, from, now)).isEqualTo(before);
        // a node that flushes a minute of an hour already compacted counts it at every granularity
        UsageRollups late = node(clock, "late");
        late.fold(List.of(event(minute.plusSeconds(2), "/gw/shop/items/9", 200, 5, "US")));
        late.flush(true);
        assertThat(totals(reader, from, now).calls()).isEqualTo(22);
        assertThat(totals(reader, minute, minute.plusSeconds(60)).calls()).isEqualTo(12);
    }

    private RollupStore store() {
        return new RollupStore(dataSource);
    }

    @Test
    void a_restart_loses_no_written_rollup_and_counts_nothing_twice() throws Exception {
        Instant minute = Instant.parse("2026-06-11T08:00:00Z");
        ManualClock clock = new ManualClock(minute.plusSeconds(30));
        UsageRollups first = node(clock, "a");
        first.fold(sample(minute).subList(0, 5));
        first.flush(true); // shutdown: the current minute is written too
        UsageRollups second = node(clock, "a"); // the same node after a restart, same minute
        assertThat(totals(second, minute, minute.plusSeconds(60)).calls()).isEqualTo(5);
        second.fold(sample(minute).subList(0, 5));
        assertThat(totals(second, minute, minute.plusSeconds(60)).calls()).isEqualTo(10);
        clock.now = minute.plusSeconds(61);
        second.flush(false);
        assertThat(totals(second, minute, minute.plusSeconds(60)).calls()).isEqualTo(10);
        assertThat(node(clock, "c").totals(UsageFilter.api(api), minute, minute.plusSeconds(60)).calls())
                .isEqualTo(10);
    }

    @Test
    void retention_removes_old_minute_rows_and_keeps_the_hours_and_days() throws Exception {
        Instant now = Instant.parse("2026-06-20T12:00:00Z");
        Instant old = now.minus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        ManualClock clock = new ManualClock(now);
        UsageRollups rollups = node(clock, "a");
        rollups.fold(sample(old));
        rollups.flush(true);
        assertThat(rowsOfApi("m")).isEqualTo(8);

        for (int round = 0; round < 5 && store().marks().daysUntil() <= old.toEpochMilli(); round++) {
            rollups.maintain(); // compaction works off a long backlog in steps
        }
        rollups.maintain();

        assertThat(rowsOfApi("m")).isZero();
        assertThat(rowsOfApi("h")).isPositive();
        assertThat(rowsOfApi("d")).isPositive();
        // a window of whole days and hours still sees every call
        assertThat(totals(rollups, now.minus(Duration.ofDays(45)), now).calls()).isEqualTo(10);
        assertThat(totals(rollups, old, old.plus(Duration.ofHours(1))).calls()).isEqualTo(10);
    }

    private long rows(String table, String granularity) throws Exception {
        return count("select count(*) from " + table + " where granularity = ? and api_id = ?", granularity);
    }

    private long rowsOfApi(String granularity) throws Exception {
        return rows("usage_rollups", granularity);
    }

    @Test
    void last_errors_keep_their_exact_time_per_status_class_from_memory_to_minute_hour_and_day_rows()
            throws Exception {
        Instant minute = Instant.parse("2026-02-03T12:34:00Z");
        ManualClock clock = new ManualClock(minute.plusSeconds(90));
        UsageRollups rollups = node(clock, "a");
        rollups.fold(sample(minute));
        // a client error on the endpoint whose other errors are server errors, older than them
        rollups.fold(List.of(event(minute.plusSeconds(7), "/gw/shop/items/9", 429, 5, "DE")));
        Instant from = minute.minusSeconds(3 * 3600);
        Instant to = minute.plusSeconds(3 * 3600);
        Instant newest = minute.plusSeconds(65); // the second minute's errors, 5 s in
        Map<String, Instant> expected = Map.of("GET /missing 4xx 2", newest, "GET /items/{id} 5xx 2", newest,
                "GET /items/{id} 4xx 1", minute.plusSeconds(7));
        // from memory, then from the minute rows
        assertThat(lastErrors(rollups, from, to)).containsExactlyInAnyOrderEntriesOf(expected);
        rollups.flush(true);
        assertThat(lastErrors(rollups, from, to)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(splitEndpointRows("m")).isZero();
        // a window that ends before the second minute sees the first
        assertThat(lastErrors(rollups, from, minute.plusSeconds(60))).containsExactlyInAnyOrderEntriesOf(
                Map.of("GET /missing 4xx 1", minute.plusSeconds(5), "GET /items/{id} 5xx 1", minute.plusSeconds(5),
                        "GET /items/{id} 4xx 1", minute.plusSeconds(7)));

        // past the minutes' retention (35 days) only hour and day rows are left; a window of whole days reads the
        // day row: still the exact time
        clock.now = minute.plus(Duration.ofDays(40));
        for (int round = 0; round < 5 && rows("usage_latency", "m") > 0; round++) {
            rollups.maintain();
        }
        assertThat(rows("usage_latency", "m")).isZero();
        assertThat(rows("usage_latency", "d")).isPositive();
        assertThat(lastErrors(rollups, minute.minus(Duration.ofDays(3)), minute.plus(Duration.ofDays(3))))
                .containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(splitEndpointRows("d")).isZero();
    }

    @Test
    void endpoint_rows_split_by_status_class_before_v20_add_up_with_the_new_ones() throws Exception {
        Instant minute = Instant.parse("2026-03-09T08:00:00Z");
        ManualClock clock = new ManualClock(minute.plusSeconds(90));
        UsageRollups rollups = node(clock, "a");
        rollups.fold(sample(minute)); // GET /items/{id}: 6 successes and 2 server errors, the newest at minute + 65 s
        rollups.flush(true);
        // an hour earlier, a node before V20 wrote two 503s of the endpoint as a row of status class 5 (its new columns
        // as V20 derives them)
        Latency old = new Latency();
        Instant before = minute.minus(Duration.ofHours(1)).plusSeconds(30);
        for (int ms : new int[]{70, 90}) {
            old.record(event(before, "/gw/shop/items/7", 503, ms, "DE"), ms);
        }
        // (at the minute and the hour: a flush writes the hour row too once compaction has passed the hour)
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into usage_latency (granularity,"
                        + " bucket, node_id, scope, api_id, endpoint, status_class, calls, errors, dispatched, bytes_in,"
                        + " bytes_out, input_tokens, output_tokens, cached_tokens, cost_micros, latency_sum_ms,"
                        + " latency_max_ms, last_error_at, server_errors, last_server_error_at, latency_min_ms,"
                        + " histogram) values (?, ?, 'old', 'e', ?, 'GET /items/{id}', 5, 2, 2, 0, 20, 200, 0, 0, 0, 0,"
                        + " 160, 90, ?, 2, ?, 70, ?)")) {
            for (String granularity : List.of("m", "h")) {
                insert.setString(1, granularity);
                insert.setObject(2,
                        java.time.OffsetDateTime.ofInstant(minute.minus(Duration.ofHours(1)), ZoneOffset.UTC));
                insert.setObject(3, api);
                insert.setObject(4, java.time.OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                insert.setObject(5, java.time.OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                insert.setBytes(6, old.encode());
                insert.executeUpdate();
            }
        }
        Instant from = minute.minus(Duration.ofHours(2));
        Instant to = minute.plus(Duration.ofHours(1));
        Set<UsageDimension> byEndpoint = EnumSet.of(UsageDimension.ENDPOINT);
        UsageTotals items = rollups.sums(LatencyFilter.endpoints(Set.of(api)), from, to, null, byEndpoint).stream()
                .filter(g -> g.endpoint().equals("GET /items/{id}")).findFirst().orElseThrow().totals();
        assertThat(items.calls()).isEqualTo(10);
        assertThat(items.serverErrors()).isEqualTo(4);
        assertThat(items.clientErrors()).isZero();
        assertThat(items.lastServerErrorAt()).isEqualTo(minute.plusSeconds(65));
        LatencyGroup latency = rollups.latency(LatencyFilter.endpoints(Set.of(api)), from, to, null, byEndpoint)
                .stream().filter(g -> g.endpoint().equals("GET /items/{id}")).findFirst().orElseThrow();
        assertThat(latency.stats().calls()).isEqualTo(10);
        assertThat(latency.stats().max()).isEqualTo(90);
        // the old rows' status class is not a dimension of the narrow rows any more
        assertThatThrownBy(() -> rollups.sums(LatencyFilter.endpoints(Set.of(api)), from, to, null,
                EnumSet.of(UsageDimension.STATUS_CLASS))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Endpoint rows of the API split by status class (none are written since V20). */
    private long splitEndpointRows(String granularity) throws Exception {
        return count("select count(*) from usage_latency where granularity = ? and api_id = ? and scope = 'e'"
                + " and status_class <> 0", granularity);
    }

    /**
     * "endpoint class count" to the newest error of that class, from the wide rollups and from the endpoints' narrow
     * ones alike (the narrow rows hold both classes in one row per endpoint).
     */
    private Map<String, Instant> lastErrors(UsageRollups rollups, Instant from, Instant to) {
        Set<UsageDimension> by = EnumSet.of(UsageDimension.ENDPOINT);
        Map<String, Instant> wide = errorsOf(rollups.calls(UsageFilter.api(api), from, to, null, by));
        assertThat(errorsOf(rollups.sums(LatencyFilter.endpoints(Set.of(api)), from, to, null, by))).isEqualTo(wide);
        return wide;
    }

    private static Map<String, Instant> errorsOf(List<UsageGroup> groups) {
        Map<String, Instant> last = new java.util.HashMap<>();
        for (UsageGroup g : groups) {
            UsageTotals t = g.totals();
            if (t.clientErrors() > 0) {
                last.put(g.endpoint() + " 4xx " + t.clientErrors(), t.lastClientErrorAt());
            }
            if (t.serverErrors() > 0) {
                last.put(g.endpoint() + " 5xx " + t.serverErrors(), t.lastServerErrorAt());
            }
            if (t.errors() > 0) {
                assertThat(t.lastErrorAt()).isEqualTo(java.util.Collections.max(java.util.stream.Stream
                        .of(t.lastClientErrorAt(), t.lastServerErrorAt()).filter(java.util.Objects::nonNull).toList()));
            }
        }
        return last;
    }

    @Test
    void narrow_rollups_agree_with_the_wide_ones_in_every_scope() throws Exception {
        Instant now = Instant.parse("2026-07-14T15:30:00Z");
        Instant minute = now.minus(Duration.ofMinutes(150)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        ManualClock clock = new ManualClock(now);
        UsageRollups a = node(clock, "a");
        UsageRollups b = node(clock, "b");
        UUID other = UUID.randomUUID();
        a.fold(sample(minute));
        b.fold(sample(minute));
        b.fold(List.of(new UsageEvent("x", api, other, key, null, "POST", "/gw/shop/orders", 201, 7, 7, 5, 50,
                minute.plusSeconds(70).toEpochMilli(), true, "US",
                new UsageEvent.Ai("gpt-test", 10, 20, 0, false, 1234, 0, 0, 0, null))));
        UsageRollups reader = node(clock, "reader");
        Instant from = minute.minus(Duration.ofDays(1));
        for (int round = 0; round < 3; round++) {
            UsageTotals wide = totals(reader, from, now);
            assertThat(wide.calls()).isEqualTo(round == 0 ? 0 : 21);
            for (UsageRollups node : List.of(a, b, reader)) {
                if (round == 0 && node == reader) {
                    continue; // nothing written yet: only the nodes see their own minutes
                }
                UsageTotals all = node.totals(UsageFilter.api(api), from, now);
                assertThat(single(node.sums(LatencyFilter.apis(Set.of(api)), from, now, null, Set.of())))
                        .isEqualTo(all);
                assertThat(single(node.sums(LatencyFilter.consumers(Set.of(api)), from, now, null, Set.of())))
                        .isEqualTo(all);
                assertThat(single(node.sums(LatencyFilter.geography(Set.of(api)), from, now, null, Set.of())))
                        .isEqualTo(all);
                assertThat(single(node.sums(LatencyFilter.endpoints(Set.of(api)), from, now, null, Set.of())))
                        .isEqualTo(all);
                // the other consumer's one call, made on node b
                assertThat(node.sums(new LatencyFilter(LatencyFilter.Scope.CALLERS, null, other), from, now, null,
                        Set.of())).extracting(g -> g.totals().calls())
                        .containsExactly(round == 0 && node == a ? new Long[0] : new Long[]{1L});
                Set<UsageDimension> by = EnumSet.of(UsageDimension.ENDPOINT);
                assertThat(node.sums(LatencyFilter.endpoints(Set.of(api)), from, now, null, by))
                        .containsExactlyInAnyOrderElementsOf(node.calls(UsageFilter.api(api), from, now, null, by));
                by = EnumSet.of(UsageDimension.CONSUMER, UsageDimension.BUCKET);
                assertThat(node.sums(LatencyFilter.consumers(Set.of(api)), from, now, Granularity.HOUR, by))
                        .containsExactlyInAnyOrderElementsOf(node.calls(UsageFilter.api(api), from, now,
                                Granularity.HOUR, by));
                // the model comes along in the per-API and per-consumer rows (a consumer's view lists it)
                for (LatencyFilter perApi : List.of(LatencyFilter.apis(Set.of(api)),
                        LatencyFilter.consumer(other, null))) {
                    assertThat(node.sums(perApi, from, now, null, EnumSet.of(UsageDimension.MODEL)).stream()
                            .filter(g -> g.model() != null)).extracting(g -> g.model() + "=" + g.totals().costMicros())
                            .containsExactly(round == 0 && node == a ? new String[0] : new String[]{"gpt-test=1234"});
                }
                LatencyGroup latency = node.latency(LatencyFilter.apis(Set.of(api)), from, now, null, Set.of()).get(0);
                assertThat(latency.totals()).isEqualTo(all);
                assertThat(latency.stats().calls()).isEqualTo(all.calls());
            }
            // two consumers in the second minute, one in the first, as the platform's active consumers
            Map<Instant, Integer> active = reader.activeConsumers(minute, minute.plusSeconds(120));
            assertThat(active).isEqualTo(round == 0
                    ? Map.of()
                    : Map.of(minute, 1, minute.plusSeconds(60), 2));
            if (round == 0) {
                a.flush(true);
                b.flush(true);
            } else {
                reader.maintain(); // the hour has closed: compaction must change no figure
            }
        }
    }

    private static UsageTotals single(List<UsageGroup> groups) {
        assertThat(groups).hasSize(1);
        return groups.get(0).totals();
    }

    private long count(String sql, String granularity) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, granularity);
            select.setObject(2, api);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
