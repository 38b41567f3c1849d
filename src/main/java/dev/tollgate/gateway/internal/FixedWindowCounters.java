package dev.tollgate.gateway.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of calls per key in fixed windows (a period aligned to the epoch, or a calendar month). Exact under
 * concurrency: with a limit of N, exactly N acquisitions in one window succeed. In memory, per node.
 */
final class FixedWindowCounters {

    /**
     * The outcome of an acquisition; {@code remaining} is after it. {@code windowStartMillis} is the window that
     * counted it (a newer one than asked for when another caller already moved on), the one to release it from.
     */
    record Result(boolean allowed, long limit, long remaining, long windowStartMillis, long windowEndMillis) {
    }

    private static final class Window {
        final long start;
        final long end;
        final AtomicLong used = new AtomicLong();

        Window(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    private final ConcurrentHashMap<Object, Window> windows = new ConcurrentHashMap<>();

    Result tryAcquire(Object key, long limit, long windowStart, long windowEnd) {
        Window window = window(key, windowStart, windowEnd);
        while (true) {
            long used = window.used.get();
            if (used >= limit) {
                return new Result(false, limit, 0, window.start, window.end);
            }
            if (window.used.compareAndSet(used, used + 1)) {
                return new Result(true, limit, limit - used - 1, window.start, window.end);
            }
        }
    }

    /** Gives back an acquisition made in the window starting at {@code windowStart} (when a later check refused). */
    void release(Object key, long windowStart) {
        Window window = windows.get(key);
        if (window != null && window.start == windowStart) {
            window.used.updateAndGet(u -> Math.max(0, u - 1));
        }
    }

    /** Calls counted so far in the current window, 0 if none. */
    long used(Object key, long windowStart) {
        Window window = windows.get(key);
        return window != null && window.start == windowStart ? window.used.get() : 0;
    }

    /** Sets a window's count at start-up from recorded usage, unless calls were already counted in it. */
    void seed(Object key, long windowStart, long windowEnd, long used) {
        window(key, windowStart, windowEnd).used.accumulateAndGet(used, Math::max);
    }

    /** Drops windows that ended; run periodically so counters of idle keys do not pile up. */
    int evictEnded(long nowMillis) {
        int before = windows.size();
        windows.values().removeIf(w -> w.end <= nowMillis);
        return before - windows.size();
    }

    int size() {
        return windows.size();
    }

    private Window window(Object key, long windowStart, long windowEnd) {
        Window window = windows.get(key);
        // never replace a newer window: a caller whose clock read is a little older joins the current one
        if (window != null && window.start >= windowStart) {
            return window;
        }
        return windows.compute(key, (k, old) -> old != null && old.start >= windowStart
                ? old
                : new Window(windowStart, windowEnd));
    }
}
