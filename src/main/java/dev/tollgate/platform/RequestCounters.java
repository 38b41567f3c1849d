package dev.tollgate.platform;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Responses of this node per second over the last hour, in memory: the HTTP pipeline counts every response (control
 * plane, gateway and AI proxy alike) and the system statistics read sums over recent windows.
 * <p>
 * A ring of one slot per second: counting is a read of the slot's second and an atomic increment, no allocation
 * and no lock, so it costs the hot path nothing measurable. The first response of a new second clears its slot
 * under the slot's lock (once per second). Thread-safe.
 */
@Singleton
public class RequestCounters {

    /** The longest window that can be read, in seconds. */
    public static final int SECONDS = 3600;

    private static final int REQUESTS = 0;
    private static final int CLIENT_ERRORS = 1;
    private static final int SERVER_ERRORS = 2;
    private static final int COUNTERS = 3;

    /** Totals over a window. {@code errorRate}: server errors (5xx) per response, 0 without responses. */
    public record Window(int seconds, long requests, long clientErrors, long serverErrors) {

        public double errorRate() {
            return requests == 0 ? 0 : (double) serverErrors / requests;
        }
    }

    private final Clock clock;
    /** The epoch second each slot counts; a slot of an older second counts as empty. */
    private final AtomicLongArray seconds = new AtomicLongArray(SECONDS);
    private final AtomicLongArray counts = new AtomicLongArray(SECONDS * COUNTERS);
    private final Object[] locks = new Object[64];

    @Inject
    RequestCounters(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        for (int i = 0; i < SECONDS; i++) {
            seconds.set(i, -1);
        }
    }

    /** Counts one response with the given HTTP status. */
    public void record(int status) {
        long second = clock.millis() / 1000;
        int slot = (int) (second % SECONDS);
        if (seconds.get(slot) != second) {
            open(slot, second);
        }
        int base = slot * COUNTERS;
        counts.incrementAndGet(base + REQUESTS);
        if (status >= 500) {
            counts.incrementAndGet(base + SERVER_ERRORS);
        } else if (status >= 400) {
            counts.incrementAndGet(base + CLIENT_ERRORS);
        }
    }

    /** Clears the slot for a new second; its counts are zero before any counter sees the slot as current. */
    private void open(int slot, long second) {
        synchronized (locks[slot % locks.length]) {
            if (seconds.get(slot) < second) {
                int base = slot * COUNTERS;
                for (int i = 0; i < COUNTERS; i++) {
                    counts.set(base + i, 0);
                }
                seconds.set(slot, second);
            }
        }
    }

    /** The responses of the last {@code window} seconds (1 to {@value #SECONDS}), the current second included. */
    public Window last(int window) {
        if (window < 1 || window > SECONDS) {
            throw new IllegalArgumentException("A window of 1 to " + SECONDS + " seconds, not " + window);
        }
        long now = clock.millis() / 1000;
        long[] totals = new long[COUNTERS];
        for (long second = now - window + 1; second <= now; second++) {
            int slot = (int) (second % SECONDS);
            if (seconds.get(slot) != second) {
                continue;
            }
            for (int i = 0; i < COUNTERS; i++) {
                totals[i] += counts.get(slot * COUNTERS + i);
            }
        }
        return new Window(window, totals[REQUESTS], totals[CLIENT_ERRORS], totals[SERVER_ERRORS]);
    }
}
