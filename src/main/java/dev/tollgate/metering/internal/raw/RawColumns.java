package dev.tollgate.metering.internal.raw;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.UsageQueries.CallLog;
import dev.tollgate.metering.UsageQueries.StatusFilter;

/**
 * The columns of a raw-event day table, the same on both databases except for the type of the time: every field of
 * {@link UsageEvent}, the AI columns as {@code usage_events} had them (V15), and {@code seq}, which orders calls of the
 * same millisecond (a per-node counter; the old id for moved rows).
 */
final class RawColumns {

    static final String NAMES = "request_id, api_id, consumer_id, key_id, plan_id, method, path, status, latency_ms,"
            + " upstream_latency_ms, bytes_in, bytes_out, at, seq, dispatched, country, model, input_tokens,"
            + " output_tokens, cached_tokens, tokens_estimated, cost_micros, input_per_million, output_per_million,"
            + " cached_input_per_million, channel_id";
    static final String PARAMETERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
    /** What a call log shows, in {@link #callLog}'s order. */
    static final String LOG_COLUMNS = "request_id, consumer_id, key_id, plan_id, method, path, status, latency_ms,"
            + " upstream_latency_ms, bytes_in, bytes_out, at, country";
    static final String TABLE_PREFIX = "usage_raw_";
    static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    static final int REQUEST_ID_LENGTH = 128;
    static final int METHOD_LENGTH = 16;
    static final int PATH_LENGTH = 512;
    static final int COUNTRY_LENGTH = 64;
    static final int MODEL_LENGTH = 100;

    private RawColumns() {
    }

    /** Column definitions; {@code at} is {@code atType}. */
    static String definitions(String atType) {
        return "request_id varchar(" + REQUEST_ID_LENGTH
                + ") not null, api_id uuid not null, consumer_id uuid not null,"
                + " key_id uuid not null, plan_id uuid, method varchar(" + METHOD_LENGTH + ") not null, path varchar("
                + PATH_LENGTH + ") not null, status integer not null, latency_ms integer not null,"
                + " upstream_latency_ms integer, bytes_in bigint not null, bytes_out bigint not null, at " + atType
                + " not null, seq bigint not null, dispatched boolean not null, country varchar(" + COUNTRY_LENGTH
                + "), model varchar(" + MODEL_LENGTH + "), input_tokens bigint, output_tokens bigint,"
                + " cached_tokens bigint, tokens_estimated boolean, cost_micros bigint, input_per_million bigint,"
                + " output_per_million bigint, cached_input_per_million bigint, channel_id uuid";
    }

    static String table(LocalDate day) {
        return TABLE_PREFIX + DAY.format(day);
    }

    /** The day of a table name such as {@code usage_raw_20250601} (any case), or null for other tables. */
    static LocalDate day(String table) {
        String name = table.toLowerCase(java.util.Locale.ROOT);
        if (name.length() != TABLE_PREFIX.length() + 8 || !name.startsWith(TABLE_PREFIX)) {
            return null;
        }
        String digits = name.substring(TABLE_PREFIX.length());
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return null;
            }
        }
        return LocalDate.parse(digits, DAY);
    }

    static LocalDate dayOf(long atMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(atMillis, 86_400_000L));
    }

    static long startMillis(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** Values longer than their column are cut rather than failing the batch (and every retry of it). */
    static String cut(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }

    /** Binds one event for {@code insert into ... (NAMES) values (PARAMETERS)}, {@code at} as epoch millis. */
    static void bind(PreparedStatement insert, UsageEvent e, long seq) throws SQLException {
        insert.setString(1, cut(e.requestId(), REQUEST_ID_LENGTH));
        insert.setObject(2, e.apiId());
        insert.setObject(3, e.consumerId());
        insert.setObject(4, e.keyId());
        insert.setObject(5, e.planId());
        insert.setString(6, cut(e.method(), METHOD_LENGTH));
        insert.setString(7, cut(e.path(), PATH_LENGTH));
        insert.setInt(8, e.status());
        insert.setInt(9, e.latencyMs());
        if (e.upstreamLatencyMs() < 0) {
            insert.setNull(10, Types.INTEGER);
        } else {
            insert.setInt(10, e.upstreamLatencyMs());
        }
        insert.setLong(11, e.bytesIn());
        insert.setLong(12, e.bytesOut());
        insert.setLong(13, e.atMillis());
        insert.setLong(14, seq);
        insert.setBoolean(15, e.dispatched());
        insert.setString(16, cut(e.country(), COUNTRY_LENGTH));
        UsageEvent.Ai ai = e.ai();
        if (ai == null) {
            for (int i = 17; i <= 26; i++) {
                insert.setNull(i, Types.NULL);
            }
            return;
        }
        insert.setString(17, cut(ai.model(), MODEL_LENGTH));
        insert.setLong(18, ai.inputTokens());
        insert.setLong(19, ai.outputTokens());
        insert.setLong(20, ai.cachedInputTokens());
        insert.setBoolean(21, ai.estimated());
        insert.setLong(22, ai.costMicros());
        insert.setLong(23, ai.inputMicrosPerMillion());
        insert.setLong(24, ai.outputMicrosPerMillion());
        if (ai.cachedInputMicrosPerMillion() < 0) {
            insert.setNull(25, Types.BIGINT);
        } else {
            insert.setLong(25, ai.cachedInputMicrosPerMillion());
        }
        insert.setObject(26, ai.channelId());
    }

    /** One event as a line of PostgreSQL's COPY text format (columns in {@link #NAMES}' order). */
    static void copyLine(StringBuilder line, UsageEvent e, long seq) {
        text(line, cut(e.requestId(), REQUEST_ID_LENGTH)).append('\t');
        line.append(e.apiId()).append('\t').append(e.consumerId()).append('\t').append(e.keyId()).append('\t');
        value(line, e.planId()).append('\t');
        text(line, cut(e.method(), METHOD_LENGTH)).append('\t');
        text(line, cut(e.path(), PATH_LENGTH)).append('\t');
        line.append(e.status()).append('\t').append(e.latencyMs()).append('\t');
        if (e.upstreamLatencyMs() < 0) {
            line.append("\\N");
        } else {
            line.append(e.upstreamLatencyMs());
        }
        line.append('\t').append(e.bytesIn()).append('\t').append(e.bytesOut()).append('\t')
                .append(Instant.ofEpochMilli(e.atMillis())).append('\t').append(seq).append('\t')
                .append(e.dispatched() ? 't' : 'f').append('\t');
        text(line, cut(e.country(), COUNTRY_LENGTH));
        UsageEvent.Ai ai = e.ai();
        if (ai == null) {
            line.append("\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
            return;
        }
        line.append('\t');
        text(line, cut(ai.model(), MODEL_LENGTH)).append('\t').append(ai.inputTokens()).append('\t')
                .append(ai.outputTokens()).append('\t').append(ai.cachedInputTokens()).append('\t')
                .append(ai.estimated() ? 't' : 'f').append('\t').append(ai.costMicros()).append('\t')
                .append(ai.inputMicrosPerMillion()).append('\t').append(ai.outputMicrosPerMillion()).append('\t');
        if (ai.cachedInputMicrosPerMillion() < 0) {
            line.append("\\N");
        } else {
            line.append(ai.cachedInputMicrosPerMillion());
        }
        line.append('\t');
        value(line, ai.channelId()).append('\n');
    }

    private static StringBuilder value(StringBuilder line, Object value) {
        return value == null ? line.append("\\N") : line.append(value);
    }

    /** A string in COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
    private static StringBuilder text(StringBuilder line, String value) {
        if (value == null) {
            return line.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(c);
            }
        }
        return line;
    }

    /** The status filter as SQL (bound by {@link #bindStatus}). */
    static String statusSql(StatusFilter status) {
        return status.exact() != null
                ? " and status = ?"
                : status.hundreds() != null
                        ? " and status >= ? and status < ?"
                        : "";
    }

    static int bindStatus(PreparedStatement statement, int index, StatusFilter status) throws SQLException {
        if (status.exact() != null) {
            statement.setInt(index++, status.exact());
        } else if (status.hundreds() != null) {
            statement.setInt(index++, status.hundreds() * 100);
            statement.setInt(index++, status.hundreds() * 100 + 100);
        }
        return index;
    }

    /** A row of {@code select LOG_COLUMNS} whose {@code at} was read by {@code at}. */
    static CallLog callLog(ResultSet rs, Instant at) throws SQLException {
        int upstream = rs.getInt(9);
        Integer upstreamLatency = rs.wasNull() ? null : upstream;
        return new CallLog(rs.getString(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8),
                upstreamLatency, rs.getLong(10), rs.getLong(11), at, rs.getString(13));
    }
}
