package dev.tollgate.aiproxy;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * A circuit breaker per channel, and what the admin sees of each channel's health. A channel's circuit opens after
 * {@link AiConfig#breakerFailures()} consecutive failures (connect error, timeout, 429, 5xx); while open the channel
 * is skipped. After {@link AiConfig#breakerCoolDown()} it is half-open: one call is let through as a trial, and its
 * outcome closes the circuit again or reopens it for another cool-down. In memory, per node; time from the injected
 * {@link Clock}.
 */
@Singleton
public class ChannelHealth {

    /** What the admin sees of one channel. Latency is of the last answered call (response headers), -1 if none. */
    public record View(String state, int consecutiveFailures, String lastError, Instant lastErrorAt,
            long lastLatencyMs, Instant openedAt, long calls, long failures) {
    }

    private static final class Breaker {
        int consecutiveFailures;
        long openedAt = -1;
        boolean trialInFlight;
        String lastError;
        long lastErrorAt = -1;
        long lastLatencyMs = -1;
        long calls;
        long failures;
    }

    private final Map<UUID, Breaker> breakers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int threshold;
    private final long coolDownMillis;

    ChannelHealth(Clock clock, AiConfig config) {
        this.clock = clock;
        this.threshold = Math.max(1, config.breakerFailures());
        this.coolDownMillis = config.breakerCoolDown().toMillis();
    }

    /**
     * Whether a call may go to the channel now: closed, or half-open with no trial running (this call becomes the
     * trial).
     */
    public boolean tryAcquire(UUID channelId) {
        Breaker b = breakers.computeIfAbsent(channelId, id -> new Breaker());
        synchronized (b) {
            if (b.openedAt < 0) {
                return true;
            }
            if (clock.millis() - b.openedAt < coolDownMillis || b.trialInFlight) {
                return false;
            }
            b.trialInFlight = true;
            return true;
        }
    }

    /** The channel answered (response headers below 500 and not 429) after {@code latencyMs}. */
    public void succeeded(UUID channelId, long latencyMs) {
        Breaker b = breakers.computeIfAbsent(channelId, id -> new Breaker());
        synchronized (b) {
            b.calls++;
            b.consecutiveFailures = 0;
            b.openedAt = -1;
            b.trialInFlight = false;
            b.lastLatencyMs = latencyMs;
        }
    }

    /** The channel failed; {@code error} says how (never with a key in it). */
    public void failed(UUID channelId, String error) {
        Breaker b = breakers.computeIfAbsent(channelId, id -> new Breaker());
        synchronized (b) {
            long now = clock.millis();
            b.calls++;
            b.failures++;
            b.consecutiveFailures++;
            b.lastError = error;
            b.lastErrorAt = now;
            if (b.trialInFlight || b.consecutiveFailures >= threshold) {
                b.openedAt = now;
            }
            b.trialInFlight = false;
        }
    }

    /** A trial call that ended without telling anything about the channel (the client went away first). */
    public void abandoned(UUID channelId) {
        Breaker b = breakers.get(channelId);
        if (b != null) {
            synchronized (b) {
                b.trialInFlight = false;
            }
        }
    }

    public View view(UUID channelId) {
        Breaker b = breakers.get(channelId);
        if (b == null) {
            return new View("closed", 0, null, null, -1, null, 0, 0);
        }
        synchronized (b) {
            String state = b.openedAt < 0
                    ? "closed"
                    : clock.millis() - b.openedAt >= coolDownMillis ? "half_open" : "open";
            return new View(state, b.consecutiveFailures, b.lastError,
                    b.lastErrorAt < 0 ? null : Instant.ofEpochMilli(b.lastErrorAt), b.lastLatencyMs,
                    b.openedAt < 0 ? null : Instant.ofEpochMilli(b.openedAt), b.calls, b.failures);
        }
    }
}
