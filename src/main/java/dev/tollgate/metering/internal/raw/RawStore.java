package dev.tollgate.metering.internal.raw;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.UsageQueries.CallLog;
import dev.tollgate.metering.UsageQueries.Page;
import dev.tollgate.metering.UsageQueries.StatusFilter;

/**
 * Where raw usage events live: one table per UTC day, so that retention drops whole tables. Every method may be
 * called from any thread; {@link #append} only from one at a time (the usage writer).
 */
interface RawStore extends AutoCloseable {

    /** Writes all of {@code events} in one transaction, or nothing (then it throws). {@code seq} orders ties. */
    void append(List<UsageEvent> events, long firstSeq) throws SQLException;

    /**
     * Writes rows moved from the main database's {@code usage_events} and records {@code lastId} as moved, in one
     * transaction, provided the recorded progress is still {@code afterId} (else another node moved them: false).
     * Their {@code seq} is their old id.
     */
    boolean appendLegacy(List<UsageEvent> events, long[] ids, long afterId, long lastId) throws SQLException;

    /** The last {@code usage_events} id moved, -1 if none; {@link Long#MAX_VALUE} once the move is finished. */
    long legacyProgress() throws SQLException;

    void legacyFinished() throws SQLException;

    /** Newest first; {@code from} inclusive, {@code to} exclusive, either null for no bound. */
    Page<CallLog> logs(UUID apiId, StatusFilter status, Instant from, Instant to, int skip, int limit)
            throws SQLException;

    /** The days that have a table, oldest first. */
    List<LocalDate> days() throws SQLException;

    void drop(LocalDate day) throws SQLException;

    @Override
    void close();
}
