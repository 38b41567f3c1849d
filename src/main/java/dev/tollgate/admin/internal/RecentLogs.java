package dev.tollgate.admin.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.logging.Handler;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;

import dev.tollgate.platform.RequestIds;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The last {@value #CAPACITY} log records of this node, in memory, for {@code GET /api/v1/system/logs}. A handler on
 * the root logger, added when the application has started (records logged while it starts are not kept) and removed
 * when it stops, copies each record the loggers let through; messages are {@linkplain Redaction#text redacted}
 * before they are kept, so the buffer never holds a secret that the log line carried. Thread-safe.
 */
@Singleton
public class RecentLogs {

    public static final int CAPACITY = 2_000;

    /** One kept record. {@code levelValue}: its {@link java.util.logging.Level} value, for filtering. */
    public record Line(Instant timestamp, String level, String logger, String message, String requestId,
            String thread, int levelValue) {
    }

    /** The level names the filter takes and the lowest {@link java.util.logging.Level} value each stands for. */
    public enum Severity {
        TRACE(400), DEBUG(500), INFO(800), WARN(900), ERROR(1000), FATAL(1100);

        final int value;

        Severity(int value) {
            this.value = value;
        }

        /** The severity named (case-insensitive; {@code WARNING} and {@code SEVERE} too), or null. */
        public static Severity parse(String name) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            return switch (upper) {
                case "WARNING" -> WARN;
                case "SEVERE" -> ERROR;
                default -> {
                    for (Severity s : values()) {
                        if (s.name().equals(upper)) {
                            yield s;
                        }
                    }
                    yield null;
                }
            };
        }

        static String of(int value) {
            Severity named = TRACE;
            for (Severity s : values()) {
                if (value >= s.value) {
                    named = s;
                }
            }
            return named.name();
        }
    }

    private final Line[] ring = new Line[CAPACITY];
    private long next;
    private final Handler handler = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            try {
                keep(record);
            } catch (RuntimeException e) {
                // never break the caller's logging over the copy kept for the endpoint; the console still has it
                reportError("Keeping a log record for /system/logs failed", e,
                        java.util.logging.ErrorManager.WRITE_FAILURE);
            }
        }
    };

    void start(@Observes StartupEvent ignored) {
        java.util.logging.Logger.getLogger("").addHandler(handler);
    }

    void stop(@Observes ShutdownEvent ignored) {
        java.util.logging.Logger.getLogger("").removeHandler(handler);
    }

    void keep(ExtLogRecord record) {
        String message = record.getFormattedMessage();
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            message = (message == null ? "" : message + " ") + "[" + thrown + "]";
        }
        int value = record.getLevel().intValue();
        Line line = new Line(record.getInstant(), Severity.of(value), record.getLoggerName(),
                Redaction.text(message), record.getMdc(RequestIds.MDC_KEY), record.getThreadName(), value);
        synchronized (ring) {
            ring[(int) (next++ % CAPACITY)] = line;
        }
    }

    /**
     * The newest {@code lines} records of at least {@code minimum} severity (any when null) and of the request id
     * (any when null), oldest first.
     */
    public List<Line> tail(int lines, Severity minimum, String requestId) {
        Line[] copy;
        long end;
        synchronized (ring) {
            copy = ring.clone();
            end = next;
        }
        List<Line> found = new ArrayList<>(Math.min(lines, CAPACITY));
        for (long i = end - 1; i >= Math.max(0, end - CAPACITY) && found.size() < lines; i--) {
            Line line = copy[(int) (i % CAPACITY)];
            if ((minimum == null || line.levelValue() >= minimum.value)
                    && (requestId == null || requestId.equals(line.requestId()))) {
                found.add(line);
            }
        }
        Collections.reverse(found);
        return found;
    }
}
