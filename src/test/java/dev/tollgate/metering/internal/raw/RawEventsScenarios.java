package dev.tollgate.metering.internal.raw;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.UsageQueries.CallLog;
import dev.tollgate.metering.UsageQueries.Page;
import dev.tollgate.metering.UsageQueries.StatusFilter;
import dev.tollgate.platform.db.DatabaseSelection;
import dev.tollgate.testing.TestClock;
import io.agroal.api.AgroalDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The raw usage store through {@link RawEvents}, with made-up events of a fresh API id per test. */
abstract class RawEventsScenarios {

    static final StatusFilter ALL = new StatusFilter(null, null);
    static final UUID CONSUMER = UUID.randomUUID();
    static final UUID KEY = UUID.randomUUID();
    static final UUID PLAN = UUID.randomUUID();

    @Inject
    RawEvents rawEvents;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource mainDatabase;

    @ConfigProperty(name = DatabaseSelection.KIND_PROPERTY)
    String kind;

    @ConfigProperty(name = "tollgate.data-dir")
    String dataDir;

    @ConfigProperty(name = "quarkus.datasource.embedded.jdbc.url")
    String embeddedUrl;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static UsageEvent event(UUID api, String requestId, int status, Instant at) {
        return new UsageEvent(requestId, api, CONSUMER, KEY, PLAN, "GET", "/gw/x/" + requestId, status, 12, 7, 3, 40,
                at.toEpochMilli(), status < 400, null, null);
    }

    /** A connection to where the raw tables are: the main database on PostgreSQL, the store's own on H2. */
    Connection rawConnection() throws SQLException {
        return "postgresql".equals(kind)
                ? mainDatabase.getConnection()
                : DriverManager.getConnection(RawEvents.IN_MEMORY_URL, "sa", "");
    }

    static List<String> ids(Page<CallLog> page) {
        return page.items().stream().map(CallLog::requestId).toList();
    }

    @Test
    void reads_back_every_field_newest_first_with_paging_status_and_time_filters() throws Exception {
        UUID api = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UsageEvent.Ai ai = new UsageEvent.Ai("gpt-test", 300, 120, 100, true, 4321, 150_000, 600_000, -1,
                UUID.randomUUID());
        UsageEvent full = new UsageEvent("r-full", api, CONSUMER, KEY, null, "POST", "/gw/x/full", 201, 33, -1, 5,
                6, now.minus(Duration.ofDays(2)).toEpochMilli(), true, "DE", ai);
        List<UsageEvent> batch = new ArrayList<>(List.of(full,
                event(api, "r-404", 404, now.minus(Duration.ofDays(1))),
                event(api, "r-500", 500, now.minus(Duration.ofHours(1))),
                event(api, "r-same-1", 200, now),
                event(api, "r-same-2", 200, now),
                event(UUID.randomUUID(), "r-other-api", 200, now)));
        rawEvents.append(batch);

        Page<CallLog> all = rawEvents.logs(api, ALL, null, null, 0, 100);
        assertThat(all.total()).isEqualTo(5);
        // same millisecond: the one appended later first
        assertThat(ids(all)).containsExactly("r-same-2", "r-same-1", "r-500", "r-404", "r-full");
        assertThat(all.items().get(4)).isEqualTo(new CallLog("r-full", CONSUMER, KEY, null, "POST", "/gw/x/full", 201,
                33, null, 5, 6, now.minus(Duration.ofDays(2)), "DE"));
        assertThat(all.items().get(2).upstreamLatencyMs()).isEqualTo(7);
        assertThat(all.items().get(2).planId()).isEqualTo(PLAN);

        // pages that cross day boundaries
        Page<CallLog> second = rawEvents.logs(api, ALL, null, null, 2, 2);
        assertThat(second.total()).isEqualTo(5);
        assertThat(ids(second)).containsExactly("r-500", "r-404");
        assertThat(ids(rawEvents.logs(api, ALL, null, null, 3, 100))).containsExactly("r-404", "r-full");
        assertThat(rawEvents.logs(api, ALL, null, null, 5, 10).items()).isEmpty();

        assertThat(ids(rawEvents.logs(api, new StatusFilter(404, null), null, null, 0, 10))).containsExactly("r-404");
        Page<CallLog> errors = rawEvents.logs(api, new StatusFilter(null, 4), null, null, 0, 10);
        assertThat(errors.total()).isEqualTo(1);
        assertThat(rawEvents.logs(api, new StatusFilter(null, 2), null, null, 0, 10).total()).isEqualTo(3);

        // from inclusive, to exclusive
        Page<CallLog> window = rawEvents.logs(api, ALL, now.minus(Duration.ofDays(1)), now, 0, 10);
        assertThat(ids(window)).containsExactly("r-500", "r-404");
        assertThat(window.total()).isEqualTo(2);
        assertThat(rawEvents.logs(api, ALL, now.plusMillis(1), null, 0, 10).total()).isZero();

        // the AI columns are kept as usage_events had them
        LocalDate day = LocalDate.ofInstant(now.minus(Duration.ofDays(2)), ZoneOffset.UTC);
        try (Connection connection = rawConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select model, input_tokens, output_tokens, cached_tokens, tokens_estimated, cost_micros,"
                                + " input_per_million, output_per_million, cached_input_per_million, channel_id, dispatched"
                                + " from " + RawColumns.table(day) + " where request_id = 'r-full' and api_id = ?")) {
            select.setObject(1, api);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("gpt-test");
                assertThat(List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4))).containsExactly(300L, 120L, 100L);
                assertThat(rs.getBoolean(5)).isTrue();
                assertThat(List.of(rs.getLong(6), rs.getLong(7), rs.getLong(8))).containsExactly(4321L, 150_000L,
                        600_000L);
                rs.getLong(9);
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getObject(10, UUID.class)).isEqualTo(ai.channelId());
                assertThat(rs.getBoolean(11)).isTrue();
            }
        }
    }

    @Test
    void sampling_keeps_every_error_and_the_predicted_share_of_successes() throws Exception {
        UUID api = UUID.randomUUID();
        RawEvents sampled = new RawEvents(RawEvents.open(kind, dataDir, embeddedUrl, mainDatabase), mainDatabase,
                clock, 0.25, Duration.ofDays(30));
        try {
            Instant now = Instant.now();
            List<UsageEvent> batch = new ArrayList<>();
            long expectedSuccesses = 0;
            for (int i = 0; i < 2000; i++) {
                String id = "s-" + api + "-" + i;
                batch.add(event(api, id, 200, now));
                expectedSuccesses += RawSampling.keeps(id, 200, 0.25) ? 1 : 0;
            }
            for (int i = 0; i < 100; i++) {
                batch.add(event(api, "e4-" + i, 404, now));
                batch.add(event(api, "e5-" + i, 503, now));
            }
            sampled.append(batch);

            assertThat(sampled.logs(api, new StatusFilter(null, 4), null, null, 0, 1).total()).isEqualTo(100);
            assertThat(sampled.logs(api, new StatusFilter(null, 5), null, null, 0, 1).total()).isEqualTo(100);
            long successes = sampled.logs(api, new StatusFilter(null, 2), null, null, 0, 1).total();
            assertThat(successes).isEqualTo(expectedSuccesses).isBetween(400L, 600L);
        } finally {
            sampled.stop();
        }
    }

    @Test
    void retention_drops_whole_days_older_than_it_and_keeps_the_rest() throws Exception {
        UUID api = UUID.randomUUID();
        Instant now = clock.instant();
        List<UsageEvent> batch = new ArrayList<>();
        for (int daysAgo : new int[]{40, 31, 30, 29, 1}) {
            batch.add(event(api, "d-" + daysAgo, 200, now.minus(Duration.ofDays(daysAgo))));
        }
        rawEvents.append(batch);

        List<LocalDate> dropped = rawEvents.dropExpired();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        assertThat(dropped).contains(today.minusDays(40), today.minusDays(31))
                .doesNotContain(today.minusDays(30), today.minusDays(29), today.minusDays(1));
        assertThat(ids(rawEvents.logs(api, ALL, null, null, 0, 10))).containsExactly("d-1", "d-29", "d-30");

        clock.advance(Duration.ofDays(2));
        assertThat(rawEvents.dropExpired()).contains(today.minusDays(30), today.minusDays(29))
                .doesNotContain(today.minusDays(1));
        assertThat(ids(rawEvents.logs(api, ALL, null, null, 0, 10))).containsExactly("d-1");
    }

    @Test
    void a_failed_append_leaves_nothing_and_its_retry_writes_each_event_once() throws Exception {
        UUID api = UUID.randomUUID();
        Instant now = Instant.now();
        rawEvents.append(List.of(event(api, "f-first", 200, now.minus(Duration.ofDays(7)))));
        // the day's table goes behind the store's back (as another node's retention could do)
        try (Connection connection = rawConnection(); Statement s = connection.createStatement()) {
            s.execute("drop table " + RawColumns.table(LocalDate.ofInstant(now.minus(Duration.ofDays(7)),
                    ZoneOffset.UTC)));
        }
        List<UsageEvent> batch = List.of(event(api, "f-a", 200, now.minus(Duration.ofDays(5))),
                event(api, "f-b", 500, now.minus(Duration.ofDays(6))),
                event(api, "f-c", 200, now.minus(Duration.ofDays(7))));

        assertThatThrownBy(() -> rawEvents.append(batch)).isInstanceOf(SQLException.class);
        assertThat(rawEvents.logs(api, ALL, null, null, 0, 10).total()).isZero();

        rawEvents.append(batch);
        Page<CallLog> logs = rawEvents.logs(api, ALL, null, null, 0, 10);
        assertThat(ids(logs)).containsExactly("f-a", "f-b", "f-c");
        assertThat(logs.total()).isEqualTo(3);
    }

    @Test
    void rows_of_usage_events_are_moved_once_in_chunks() throws Exception {
        UUID api = UUID.randomUUID();
        UUID channel = UUID.randomUUID();
        Instant at = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS);
        int rows = RawEvents.LEGACY_CHUNK + 5;
        long before;
        try (Connection connection = mainDatabase.getConnection()) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("select coalesce(max(id), 0) from usage_events")) {
                rs.next();
                before = rs.getLong(1);
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("insert into usage_events (request_id,"
                    + " api_id, consumer_id, key_id, plan_id, method, path, status, latency_ms, upstream_latency_ms,"
                    + " bytes_in, bytes_out, at, dispatched, model, input_tokens, output_tokens, cached_tokens,"
                    + " tokens_estimated, cost_micros, input_per_million, output_per_million,"
                    + " cached_input_per_million, channel_id)"
                    + " values (?, ?, ?, ?, ?, 'GET', ?, ?, 9, ?, 1, 2, ?, true, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    boolean aiCall = i == rows - 1;
                    insert.setString(1, "old-" + i);
                    insert.setObject(2, api);
                    insert.setObject(3, CONSUMER);
                    insert.setObject(4, KEY);
                    insert.setObject(5, i % 2 == 0 ? PLAN : null);
                    insert.setString(6, "/gw/old/" + i);
                    insert.setInt(7, i % 10 == 0 ? 502 : 200);
                    if (i % 3 == 0) {
                        insert.setNull(8, Types.INTEGER);
                    } else {
                        insert.setInt(8, 4);
                    }
                    insert.setObject(9, OffsetDateTime.ofInstant(at.plusMillis(i / 2), ZoneOffset.UTC));
                    insert.setString(10, aiCall ? "old-model" : null);
                    for (int p : new int[]{11, 12, 13, 15, 16, 17}) {
                        insert.setObject(p, aiCall ? (long) p : null, Types.BIGINT);
                    }
                    insert.setObject(14, aiCall ? Boolean.FALSE : null, Types.BOOLEAN);
                    insert.setObject(18, null, Types.BIGINT);
                    insert.setObject(19, aiCall ? channel : null);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
        // as if this start were the first after the upgrade: everything before these rows already moved
        try (Connection connection = rawConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update usage_raw_meta set last_id = ? where name = 'legacy_moved_id'")) {
            update.setLong(1, before);
            update.executeUpdate();
        }

        assertThat(rawEvents.moveLegacyEvents()).isEqualTo(rows);
        assertThat(rawEvents.moveLegacyEvents()).isZero();

        Page<CallLog> logs = rawEvents.logs(api, ALL, null, null, 0, 3);
        assertThat(logs.total()).isEqualTo(rows);
        // equal times keep their old order (by id), newest first
        assertThat(ids(logs)).containsExactly("old-" + (rows - 1), "old-" + (rows - 2), "old-" + (rows - 3));
        assertThat(logs.items().get(2)).isEqualTo(new CallLog("old-" + (rows - 3), CONSUMER, KEY, PLAN, "GET",
                "/gw/old/" + (rows - 3), 200, 9, null, 1, 2, at.plusMillis((rows - 3) / 2), null));
        assertThat(rawEvents.logs(api, new StatusFilter(502, null), null, null, 0, 1).total())
                .isEqualTo((rows + 9) / 10);
        try (Connection connection = rawConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select model, input_tokens, cost_micros, tokens_estimated, cached_input_per_million, channel_id from "
                                + RawColumns.table(LocalDate.ofInstant(at.plusMillis((rows - 1) / 2), ZoneOffset.UTC))
                                + " where api_id = ? and request_id = ?")) {
            select.setObject(1, api);
            select.setString(2, "old-" + (rows - 1));
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("old-model");
                assertThat(rs.getLong(2)).isEqualTo(11);
                assertThat(rs.getLong(3)).isEqualTo(15);
                assertThat(rs.getBoolean(4)).isFalse();
                rs.getLong(5);
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getObject(6, UUID.class)).isEqualTo(channel);
            }
        }
    }
}
