package dev.tollgate.metering.rollup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V20 on rows written before it: the server errors and the newest client and server error of each row are
 * derived from its status class where it has one, and left empty where it never had.
 */
class ErrorsByClassMigrationTest {

    /** A database of its own each time (the test runs once per JVM, but never finds V20 already applied). */
    private static final String URL = "jdbc:h2:mem:v20-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Test
    void rows_written_before_v20_get_their_error_classes_from_their_status_class() throws Exception {
        Flyway.configure().dataSource(URL, "sa", "").target("19").load().migrate();
        try (Connection c = DriverManager.getConnection(URL, "sa", "");
                Statement s = c.createStatement()) {
            String api = "'00000000-0000-0000-0000-000000000001'";
            String who = "'00000000-0000-0000-0000-000000000002'";
            String at = "timestamp with time zone '2026-05-01 10:00:00+00'";
            String last = "timestamp with time zone '2026-05-01 10:00:42.123+00'";
            String counts = "calls, errors, dispatched, bytes_in, bytes_out, input_tokens, output_tokens,"
                    + " cached_tokens, cost_micros, latency_sum_ms, latency_max_ms, last_error_at";
            for (int status : new int[]{2, 4, 5}) {
                s.execute("insert into usage_rollups (granularity, bucket, node_id, api_id, endpoint, consumer_id,"
                        + " key_id, status_class, country, " + counts + ") values ('m', " + at + ", 'n', " + api
                        + ", 'GET /x', " + who + ", " + who + ", " + status + ", 'DE', 3, "
                        + (status >= 4 ? "3" : "0") + ", 3, 0, 0, 0, 0, 0, 0, 30, 10, "
                        + (status >= 4 ? last : "null") + ")");
                s.execute("insert into usage_latency (granularity, bucket, node_id, scope, api_id, endpoint,"
                        + " status_class, " + counts + ", latency_min_ms, histogram) values ('m', " + at + ", 'n',"
                        + " 'e', " + api + ", 'GET /x', " + status + ", 3, " + (status >= 4 ? "3" : "0")
                        + ", 3, 0, 0, 0, 0, 0, 0, 30, 10, " + (status >= 4 ? last : "null") + ", 10, X'00')");
            }
            // an API's row never had a status class: its errors stay unsplit
            s.execute("insert into usage_latency (granularity, bucket, node_id, scope, api_id, status_class, " + counts
                    + ", latency_min_ms, histogram) values ('m', " + at + ", 'n', 'a', " + api + ", 0, 9, 6, 9, 0,"
                    + " 0, 0, 0, 0, 0, 90, 10, " + last + ", 10, X'00')");
        }

        Flyway.configure().dataSource(URL, "sa", "").load().migrate();

        try (Connection c = DriverManager.getConnection(URL, "sa", "")) {
            for (String table : List.of("usage_rollups", "usage_latency")) {
                assertThat(rows(c, "select status_class, errors, server_errors, last_client_error_at,"
                        + " last_server_error_at from " + table + " where status_class > 0 order by status_class"))
                        .as(table).containsExactly(
                                "2 0 0 null null",
                                "4 3 0 2026-05-01T10:00:42.123Z null",
                                "5 3 3 null 2026-05-01T10:00:42.123Z");
            }
            assertThat(rows(c, "select status_class, errors, server_errors, last_client_error_at,"
                    + " last_server_error_at from usage_latency where scope = 'a'"))
                    .containsExactly("0 6 0 null null");
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + time(rs, 4) + " "
                        + time(rs, 5));
            }
        }
        return rows;
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? "null" : t.toInstant().toString();
    }
}
