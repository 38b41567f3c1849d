package dev.tollgate.metering.internal.raw;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.UsageQueries.CallLog;
import dev.tollgate.metering.UsageQueries.Page;
import dev.tollgate.metering.UsageQueries.StatusFilter;

/**
 * On PostgreSQL: raw events in the main database, in {@code usage_raw}, partitioned by range of {@code at}
 * (timestamptz) with one partition per UTC day ({@code usage_raw_yyyymmdd}, created on demand) and one index, (api_id,
 * at, seq); batches are loaded with {@code COPY} (several times the rate of batched inserts, see docs/BENCHMARKS.md).
 * A day goes by dropping its partition. Several nodes may share it.
 */
final class PostgresPartitions implements RawStore {

    private final DataSource dataSource;
    /** Partitions known to exist; forgotten after a failed write, in case one was dropped (by another node). */
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    PostgresPartitions(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection()) {
            ddl(connection, "create table if not exists usage_raw (" + RawColumns.definitions("timestamptz")
                    + ") partition by range (at)");
            ddl(connection, "create index if not exists ix_usage_raw_api_at on usage_raw (api_id, at, seq)");
            ddl(connection, "create table if not exists usage_raw_meta (name varchar(64) primary key,"
                    + " last_id bigint not null)");
            ddl(connection, "insert into usage_raw_meta (name, last_id) values ('legacy_moved_id', -1)"
                    + " on conflict (name) do nothing");
        }
    }

    /**
     * Runs one statement in auto-commit; a concurrent node creating the same object first (a duplicate-name error
     * despite "if not exists") is fine.
     */
    private static void ddl(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private void ensure(Connection connection, LocalDate day) throws SQLException {
        if (known.contains(day)) {
            return;
        }
        ddl(connection, "create table if not exists " + RawColumns.table(day) + " partition of usage_raw for values"
                + " from ('" + day + "T00:00:00Z') to ('" + day.plusDays(1) + "T00:00:00Z')");
        known.add(day);
    }

    @Override
    public void append(List<UsageEvent> events, long firstSeq) throws SQLException {
        StringBuilder lines = new StringBuilder(events.size() * 320);
        for (int i = 0; i < events.size(); i++) {
            RawColumns.copyLine(lines, events.get(i), firstSeq + i);
        }
        try (Connection connection = dataSource.getConnection()) {
            for (UsageEvent e : events) {
                ensure(connection, RawColumns.dayOf(e.atMillis()));
            }
            copy(connection, lines, null, 0, 0);
        }
    }

    /** COPY in one transaction; with {@code lastId} >= 0 also moves the legacy progress from {@code afterId}. */
    private boolean copy(Connection connection, StringBuilder lines, long[] ids, long afterId, long lastId)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            if (ids != null && progress(connection, true) != afterId) {
                connection.rollback();
                return false;
            }
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy usage_raw (" + RawColumns.NAMES + ") from stdin", new StringReader(lines.toString()));
            if (ids != null) {
                try (PreparedStatement update = connection.prepareStatement(
                        "update usage_raw_meta set last_id = ? where name = 'legacy_moved_id'")) {
                    update.setLong(1, lastId);
                    update.executeUpdate();
                }
            }
            connection.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            known.clear();
            throw e;
        } catch (java.io.IOException e) {
            connection.rollback();
            known.clear();
            throw new SQLException("COPY of usage events failed", e);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public boolean appendLegacy(List<UsageEvent> events, long[] ids, long afterId, long lastId) throws SQLException {
        StringBuilder lines = new StringBuilder(events.size() * 320);
        for (int i = 0; i < events.size(); i++) {
            RawColumns.copyLine(lines, events.get(i), ids[i]);
        }
        try (Connection connection = dataSource.getConnection()) {
            for (UsageEvent e : events) {
                ensure(connection, RawColumns.dayOf(e.atMillis()));
            }
            return copy(connection, lines, ids, afterId, lastId);
        }
    }

    private static long progress(Connection connection, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select last_id from usage_raw_meta where name = 'legacy_moved_id'" + (lock ? " for update" : ""));
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    @Override
    public long legacyProgress() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return progress(connection, false);
        }
    }

    @Override
    public void legacyFinished() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update usage_raw_meta set last_id = ? where name = 'legacy_moved_id'")) {
            update.setLong(1, Long.MAX_VALUE);
            update.executeUpdate();
        }
    }

    @Override
    public Page<CallLog> logs(UUID apiId, StatusFilter status, Instant from, Instant to, int skip, int limit)
            throws SQLException {
        // the bounds are always bound (far past/future when open): PostgreSQL cannot type a null in "? is null"
        OffsetDateTime lower = OffsetDateTime.ofInstant(from == null ? Instant.parse("1970-01-01T00:00:00Z") : from,
                ZoneOffset.UTC);
        OffsetDateTime upper = OffsetDateTime.ofInstant(to == null ? Instant.parse("9999-01-01T00:00:00Z") : to,
                ZoneOffset.UTC);
        String where = " from usage_raw where api_id = ? and at >= ? and at < ?" + RawColumns.statusSql(status);
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("select count(*)" + where)) {
                bindWhere(count, apiId, lower, upper, status);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<CallLog> items = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select " + RawColumns.LOG_COLUMNS + where
                    + " order by at desc, seq desc offset ? limit ?")) {
                int next = bindWhere(select, apiId, lower, upper, status);
                select.setLong(next, skip);
                select.setInt(next + 1, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(RawColumns.callLog(rs, rs.getObject(12, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return new Page<>(items, total);
        }
    }

    private static int bindWhere(PreparedStatement select, UUID apiId, OffsetDateTime lower, OffsetDateTime upper,
            StatusFilter status) throws SQLException {
        select.setObject(1, apiId);
        select.setObject(2, lower);
        select.setObject(3, upper);
        return RawColumns.bindStatus(select, 4, status);
    }

    @Override
    public List<LocalDate> days() throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select c.relname from pg_inherits i"
                        + " join pg_class c on c.oid = i.inhrelid where i.inhparent = 'usage_raw'::regclass");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                LocalDate day = RawColumns.day(rs.getString(1));
                if (day != null) {
                    days.add(day);
                }
            }
        }
        days.sort(null);
        return days;
    }

    @Override
    public void drop(LocalDate day) throws SQLException {
        known.remove(day);
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute("drop table if exists " + RawColumns.table(day));
        }
    }

    @Override
    public void close() {
        // the datasource belongs to the application
    }
}
