package dev.tollgate.gateway;

import java.util.UUID;

/**
 * One gateway call that got as far as a known API and key. {@code dispatched} says whether it passed every check
 * and was sent upstream (those count toward quotas); {@code upstreamLatencyMs} is -1 when no upstream answered. An AI
 * call (the AI proxy) is an event too: its {@code apiId} is the model's id and {@code ai} says what it used and cost;
 * {@code ai} is null for gateway calls. {@code country} is the caller's country as the trusted header named by
 * {@link UsageSink#countryOf} gave it (null when there is none).
 */
public record UsageEvent(String requestId, UUID apiId, UUID consumerId, UUID keyId, UUID planId, String method,
        String path, int status, int latencyMs, int upstreamLatencyMs, long bytesIn, long bytesOut, long atMillis,
        boolean dispatched, String country, Ai ai) {

    public UsageEvent(String requestId, UUID apiId, UUID consumerId, UUID keyId, UUID planId, String method,
            String path, int status, int latencyMs, int upstreamLatencyMs, long bytesIn, long bytesOut, long atMillis,
            boolean dispatched) {
        this(requestId, apiId, consumerId, keyId, planId, method, path, status, latencyMs, upstreamLatencyMs, bytesIn,
                bytesOut, atMillis, dispatched, null, null);
    }

    /**
     * What an AI call used: the model's public name, its tokens ({@code inputTokens} includes
     * {@code cachedInputTokens}; {@code estimated}: counted by Tollgate because the upstream reported none), what it
     * cost in micros and the prices it was charged at (micros per million tokens; cached input -1 when priced as
     * input), and the channel that answered (null if none did).
     */
    public record Ai(String model, long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated,
            long costMicros, long inputMicrosPerMillion, long outputMicrosPerMillion,
            long cachedInputMicrosPerMillion, UUID channelId) {
    }
}
