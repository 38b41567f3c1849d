package dev.tollgate.aiproxy;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** AI proxy settings ({@code tollgate.ai.*}); the README's configuration table lists their variables. */
@ConfigMapping(prefix = "tollgate.ai")
public interface AiConfig {

    /** Longest wait for a TCP (and TLS) connection to a channel before the next channel is tried. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * Longest silence of a channel ({@code TOLLGATE_AI_UPSTREAM_TIMEOUT}): before its response headers (then the next
     * channel is tried), and between the events of a stream once it has started (then the call ends).
     */
    @WithDefault("60s")
    Duration upstreamTimeout();

    /** Largest request body of an AI call (images make them large). */
    @WithDefault("20M")
    MemorySize maxRequestBodySize();

    /**
     * Output tokens a call may produce when neither the call nor the model caps them
     * ({@code TOLLGATE_AI_DEFAULT_MAX_OUTPUT_TOKENS}): sent upstream as the call's limit, so the worst case can be
     * reserved.
     */
    @WithDefault("4096")
    int defaultMaxOutputTokens();

    /** Consecutive failures (connect error, timeout, 429, 5xx) after which a channel's circuit opens. */
    @WithDefault("5")
    int breakerFailures();

    /** How long an open circuit stays open before one trial call is let through (half-open). */
    @WithDefault("30s")
    Duration breakerCoolDown();
}
