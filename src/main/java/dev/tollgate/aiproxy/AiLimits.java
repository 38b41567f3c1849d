package dev.tollgate.aiproxy;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * A key's limits on AI calls, in memory per node: requests and tokens per minute per model (fixed minute windows)
 * and its spend per calendar month (UTC). Requests are counted when a call starts; tokens when it ends (a call is
 * refused while the minute's tokens are used up); spend holds each call's reservation while it runs and its actual
 * cost afterwards, so calls running at once cannot together go over the cap. Spend of earlier runs of the node is
 * seeded at start-up from the recorded usage.
 */
@Singleton
public class AiLimits {

    private static final long MINUTE = 60_000;

    /** Why a call is refused, with the seconds until it may be retried, or null when it may go. */
    public record Refusal(String message, String code, long retryAfterSeconds) {
    }

    /**
     * The outcome of {@link #acquire}: the refusal (null: the call may go) and the state of the minute's limits that
     * apply (0 when none), for OpenAI-style {@code x-ratelimit-*} headers.
     */
    public record Decision(Refusal refusal, long requestLimit, long requestsRemaining, long tokenLimit,
            long tokensRemaining, long resetSeconds) {

        /** Response headers describing the limits: name, value, name, value, ... (empty when no limit applies). */
        public java.util.List<String> headers() {
            java.util.List<String> headers = new java.util.ArrayList<>(12);
            if (requestLimit > 0) {
                headers.addAll(java.util.List.of("x-ratelimit-limit-requests", Long.toString(requestLimit),
                        "x-ratelimit-remaining-requests", Long.toString(requestsRemaining),
                        "x-ratelimit-reset-requests", resetSeconds + "s"));
            }
            if (tokenLimit > 0) {
                headers.addAll(java.util.List.of("x-ratelimit-limit-tokens", Long.toString(tokenLimit),
                        "x-ratelimit-remaining-tokens", Long.toString(tokensRemaining), "x-ratelimit-reset-tokens",
                        resetSeconds + "s"));
            }
            if (refusal != null) {
                headers.addAll(java.util.List.of("Retry-After", Long.toString(refusal.retryAfterSeconds())));
            }
            return headers;
        }
    }

    private record Minute(UUID keyId, String model) {
    }

    private static final class Window {
        final long start;
        long requests;
        long tokens;

        Window(long start) {
            this.start = start;
        }
    }

    private static final class Spend {
        final long monthStart;
        long micros;
        /** Whether a call was refused this month because its worst case would pass the cap. */
        boolean capReached;

        Spend(long monthStart) {
            this.monthStart = monthStart;
        }
    }

    private final Map<Minute, Window> minutes = new ConcurrentHashMap<>();
    private final Map<UUID, Spend> spends = new ConcurrentHashMap<>();

    /**
     * Counts a call of {@code keyId} to {@code model} against its per-minute limits (0: none) and reserves
     * {@code reserveMicros} of its monthly cap (-1: none). On refusal nothing is counted.
     */
    public Decision acquire(UUID keyId, String model, long requestsPerMinute, long tokensPerMinute,
            long spendCapMicros, long reserveMicros, long nowMillis) {
        long minuteStart = nowMillis - Math.floorMod(nowMillis, MINUTE);
        long reset = Math.max(1, (minuteStart + MINUTE - nowMillis + 999) / 1000);
        Window window = null;
        long requestsLeft = 0;
        long tokensLeft = 0;
        if (requestsPerMinute > 0 || tokensPerMinute > 0) {
            window = minutes.compute(new Minute(keyId, model),
                    (k, old) -> old != null && old.start >= minuteStart ? old : new Window(minuteStart));
            synchronized (window) {
                tokensLeft = Math.max(0, tokensPerMinute - window.tokens);
                if (requestsPerMinute > 0 && window.requests >= requestsPerMinute) {
                    return new Decision(new Refusal("This key's limit of " + requestsPerMinute
                            + " requests per minute to '" + model + "' is used up; retry in " + reset + " s.",
                            "rate_limit_exceeded", reset), requestsPerMinute, 0, tokensPerMinute, tokensLeft, reset);
                }
                if (tokensPerMinute > 0 && window.tokens >= tokensPerMinute) {
                    return new Decision(new Refusal("This key's limit of " + tokensPerMinute
                            + " tokens per minute to '" + model + "' is used up; retry in " + reset + " s.",
                            "tokens_rate_limit_exceeded", reset), requestsPerMinute,
                            Math.max(0, requestsPerMinute - window.requests), tokensPerMinute, 0, reset);
                }
                window.requests++;
                requestsLeft = Math.max(0, requestsPerMinute - window.requests);
            }
        }
        if (spendCapMicros >= 0) {
            Spend spend = spend(keyId, nowMillis);
            synchronized (spend) {
                if (spend.micros + reserveMicros > spendCapMicros) {
                    spend.capReached = true;
                    if (window != null) {
                        synchronized (window) {
                            window.requests--;
                        }
                    }
                    long nextMonth = YearMonth.from(Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC))
                            .plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                    return new Decision(new Refusal("This key's monthly spend cap would be exceeded by this call's"
                            + " worst case; it resets at the start of next month (UTC).", "spend_cap_reached",
                            (nextMonth - nowMillis + 999) / 1000), requestsPerMinute, requestsLeft + 1,
                            tokensPerMinute, tokensLeft, reset);
                }
                spend.micros += reserveMicros;
            }
        }
        return new Decision(null, requestsPerMinute, requestsLeft, tokensPerMinute, tokensLeft, reset);
    }

    /**
     * Ends a call counted by {@link #acquire}: its tokens count toward the minute's tokens and its cost replaces its
     * reservation in the month's spend; a call refused before it was {@code sent} (no credit) gives its request back.
     */
    public void release(UUID keyId, String model, boolean sent, long tokens, boolean limited, long spendCapMicros,
            long reservedMicros, long costMicros, long startedMillis) {
        if (limited) {
            Window window = minutes.get(new Minute(keyId, model));
            if (window != null) {
                synchronized (window) {
                    if (window.start <= startedMillis) {
                        window.tokens += tokens;
                    }
                    if (!sent && window.start <= startedMillis && startedMillis < window.start + MINUTE) {
                        window.requests = Math.max(0, window.requests - 1); // refused later on: not a request
                    }
                }
            }
        }
        if (spendCapMicros >= 0) {
            Spend spend = spends.get(keyId);
            if (spend != null) {
                synchronized (spend) {
                    spend.micros += costMicros - reservedMicros;
                }
            }
        }
    }

    /** What the key has spent (and holds for running calls) this month, in micros. */
    public long spentThisMonth(UUID keyId, long nowMillis) {
        Spend spend = spend(keyId, nowMillis);
        synchronized (spend) {
            return spend.micros;
        }
    }

    /**
     * Whether the key's monthly spend cap refused a call this month (on this node): what is left of it is less than a
     * call's worst case, so the cap is used up in effect.
     */
    public boolean spendCapReached(UUID keyId, long nowMillis) {
        Spend spend = spend(keyId, nowMillis);
        synchronized (spend) {
            return spend.capReached;
        }
    }

    /** The window use of one key and model this minute: requests and tokens. */
    public long[] minuteUse(UUID keyId, String model, long nowMillis) {
        long minuteStart = nowMillis - Math.floorMod(nowMillis, MINUTE);
        Window window = minutes.get(new Minute(keyId, model));
        if (window == null || window.start != minuteStart) {
            return new long[]{0, 0};
        }
        synchronized (window) {
            return new long[]{window.requests, window.tokens};
        }
    }

    /** Counts AI spend already recorded this month toward the key's cap; used at start-up. */
    public void seedMonthlySpend(UUID keyId, long micros, long nowMillis) {
        Spend spend = spend(keyId, nowMillis);
        synchronized (spend) {
            spend.micros = Math.max(spend.micros, micros);
        }
    }

    /** Drops windows that ended; run periodically so idle keys do not pile up. */
    public void evictEnded(long nowMillis) {
        long minuteStart = nowMillis - Math.floorMod(nowMillis, MINUTE);
        minutes.values().removeIf(w -> w.start < minuteStart);
        long month = monthStart(nowMillis);
        spends.values().removeIf(s -> s.monthStart < month);
    }

    private Spend spend(UUID keyId, long nowMillis) {
        long month = monthStart(nowMillis);
        return spends.compute(keyId, (k, old) -> old != null && old.monthStart >= month ? old : new Spend(month));
    }

    static long monthStart(long nowMillis) {
        return YearMonth.from(Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC)).atDay(1)
                .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
