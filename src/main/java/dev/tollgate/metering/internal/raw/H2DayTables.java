package dev.tollgate.metering.internal.raw;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.jdbcx.JdbcConnectionPool;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.UsageQueries.CallLog;
import dev.tollgate.metering.UsageQueries.Page;
import dev.tollgate.metering.UsageQueries.StatusFilter;

/**
 * The embedded default: raw events in an H2 database of their own (beside the main one), one table per UTC day
 * ({@code usage_raw_yyyymmdd}) with no key and one index, (api_id, at, seq); {@code at} is epoch milliseconds. Its
 * page churn stays out of the main database, and a day goes with {@code drop table}. See docs/BENCHMARKS.md "Raw
 * usage store" for why this and not DuckDB.
 */
final class H2DayTables implements RawStore {

    private final JdbcConnectionPool pool;
    /** Day tables known to exist; forgotten after a failed write, in case one was dropped behind our back. */
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    H2DayTables(String url) throws SQLException {
        this.pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(8);
        try (Connection connection = pool.getConnection(); Statement s = connection.createStatement()) {
            s.execute(
                    "create table if not exists usage_raw_meta (name varchar(64) primary key, last_id bigint not null)");
            s.execute("merge into usage_raw_meta key (name) select 'legacy_moved_id', -1 from dual"
                    + " where not exists (select 1 from usage_raw_meta where name = 'legacy_moved_id')");
        }
    }

    private void ensure(Connection connection, LocalDate day) throws SQLException {
        if (known.contains(day)) {
            return;
        }
        String table = RawColumns.table(day);
        try (Statement s = connection.createStatement()) {
            s.execute("create table if not exists " + table + " (" + RawColumns.definitions("bigint") + ")");
            s.execute("create index if not exists ix_" + table + " on " + table + " (api_id, at, seq)");
        }
        known.add(day);
    }

    @Override
    public void append(List<UsageEvent> events, long firstSeq) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            // DDL commits in H2: the day tables are made before the batch's own writes begin, so that a rollback
            // takes back every row of it (an empty day table left behind is harmless)
            for (UsageEvent e : events) {
                ensure(connection, RawColumns.dayOf(e.atMillis()));
            }
            connection.setAutoCommit(false);
            try {
                insert(connection, events, null, firstSeq);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                known.clear();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Inserts runs of events of the same day into that day's table; seq is {@code ids[i]} or firstSeq + i. */
    private void insert(Connection connection, List<UsageEvent> events, long[] ids, long firstSeq)
            throws SQLException {
        int from = 0;
        while (from < events.size()) {
            LocalDate day = RawColumns.dayOf(events.get(from).atMillis());
            int to = from;
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into " + RawColumns.table(day) + " (" + RawColumns.NAMES + ") values ("
                            + RawColumns.PARAMETERS + ")")) {
                while (to < events.size() && RawColumns.dayOf(events.get(to).atMillis()).equals(day)) {
                    RawColumns.bind(insert, events.get(to), ids == null ? firstSeq + to : ids[to]);
                    insert.addBatch();
                    to++;
                }
                insert.executeBatch();
            }
            from = to;
        }
    }

    @Override
    public boolean appendLegacy(List<UsageEvent> events, long[] ids, long afterId, long lastId) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            for (UsageEvent e : events) {
                ensure(connection, RawColumns.dayOf(e.atMillis()));
            }
            connection.setAutoCommit(false);
            try {
                if (progress(connection, true) != afterId) {
                    connection.rollback();
                    return false;
                }
                insert(connection, events, ids, 0);
                setProgress(connection, lastId);
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                known.clear();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static long progress(Connection connection, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select last_id from usage_raw_meta where name = 'legacy_moved_id'" + (lock ? " for update" : ""));
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static void setProgress(Connection connection, long value) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update usage_raw_meta set last_id = ? where name = 'legacy_moved_id'")) {
            update.setLong(1, value);
            update.executeUpdate();
        }
    }

    @Override
    public long legacyProgress() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return progress(connection, false);
        }
    }

    @Override
    public void legacyFinished() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            setProgress(connection, Long.MAX_VALUE);
        }
    }

    @Override
    public Page<CallLog> logs(UUID apiId, StatusFilter status, Instant from, Instant to, int skip, int limit)
            throws SQLException {
        long fromMillis = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long toMillis = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        String where = " where api_id = ? and at >= ? and at < ?" + RawColumns.statusSql(status);
        List<LocalDate> days = days();
        List<CallLog> items = new ArrayList<>();
        long total = 0;
        long toSkip = skip;
        try (Connection connection = pool.getConnection()) {
            // newest day first: count each day (the total), and read the page from the days it falls in
            for (int d = days.size() - 1; d >= 0; d--) {
                LocalDate day = days.get(d);
                if (RawColumns.startMillis(day) >= toMillis || RawColumns.startMillis(day.plusDays(1)) <= fromMillis) {
                    continue;
                }
                String table = RawColumns.table(day);
                long count;
                try (PreparedStatement select = connection.prepareStatement("select count(*) from " + table + where)) {
                    bindWhere(select, apiId, fromMillis, toMillis, status);
                    try (ResultSet rs = select.executeQuery()) {
                        rs.next();
                        count = rs.getLong(1);
                    }
                }
                total += count;
                if (items.size() >= limit || count == 0) {
                    continue;
                }
                if (toSkip >= count) {
                    toSkip -= count;
                    continue;
                }
                // H2 sorts the API's rows of the day here (about 2 s for 143,000 rows, docs/BENCHMARKS.md): ordering
                // by "api_id desc, at desc, seq desc" would read the index backwards instead, but H2 2.3.230 loses
                // rows in such reads (RawEventsScenarios catches it); 2.3.232 does not, see BENCHMARKS.md
                try (PreparedStatement select = connection.prepareStatement("select " + RawColumns.LOG_COLUMNS
                        + " from " + table + where
                        + " order by at desc, seq desc offset ? rows fetch next ? rows only")) {
                    int next = bindWhere(select, apiId, fromMillis, toMillis, status);
                    select.setLong(next, toSkip);
                    select.setInt(next + 1, limit - items.size());
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            items.add(RawColumns.callLog(rs, Instant.ofEpochMilli(rs.getLong(12))));
                        }
                    }
                }
                toSkip = 0;
            }
        }
        return new Page<>(items, total);
    }

    private static int bindWhere(PreparedStatement select, UUID apiId, long fromMillis, long toMillis,
            StatusFilter status) throws SQLException {
        select.setObject(1, apiId);
        select.setLong(2, fromMillis);
        select.setLong(3, toMillis);
        return RawColumns.bindStatus(select, 4, status);
    }

    @Override
    public List<LocalDate> days() throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement("select table_name from"
                        + " information_schema.tables where table_schema = 'PUBLIC' and table_name like 'USAGE_RAW_%'");
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
        try (Connection connection = pool.getConnection(); Statement s = connection.createStatement()) {
            s.execute("drop table if exists " + RawColumns.table(day));
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
