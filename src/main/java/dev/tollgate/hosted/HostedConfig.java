package dev.tollgate.hosted;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Hosted APIs: the sandbox's bounds, the key/value store's quota, outbound fetch and generation. */
@ConfigMapping(prefix = "tollgate.hosted")
public interface HostedConfig {

    /** Threads that run hosted code ({@code TOLLGATE_HOSTED_WORKERS}); 0 = twice the processors, at least 4. */
    @WithDefault("0")
    int workers();

    /** Calls waiting for a worker beyond which a call gets 503. */
    @WithDefault("256")
    int queue();

    /** Ready contexts kept per deployed version (each ~2 MB). */
    @WithDefault("8")
    int contextsPerVersion();

    /**
     * Bytes one call may allocate, garbage included, before it is stopped: a backstop for long allocating loops
     * (GraalJS community has no heap limit of its own; what calls keep is bounded by the sandbox's heap guard).
     */
    @WithDefault("4G")
    io.quarkus.runtime.configuration.MemorySize memoryPerCall();

    /** Statements one call may run; a second bound beside the API's {@code timeout_ms}. */
    @WithDefault("500000000")
    long statementsPerCall();

    /** The time limit of each example request when a version's tests run (deploy and generation). */
    @WithDefault("5s")
    Duration testTimeout();

    /** The largest request body a hosted API gets (read whole). */
    @WithDefault("1M")
    io.quarkus.runtime.configuration.MemorySize maxRequestBody();

    Kv kv();

    Fetch fetch();

    Generation generation();

    interface Kv {
        /** Bytes (keys and values) each API may keep. */
        @WithDefault("10M")
        io.quarkus.runtime.configuration.MemorySize maxBytesPerApi();

        /** Keys each API may keep. */
        @WithDefault("10000")
        int maxKeysPerApi();
    }

    interface Fetch {
        /** How long one {@code fetch} may take. */
        @WithDefault("10s")
        Duration timeout();

        /** The largest response body {@code fetch} reads. */
        @WithDefault("1M")
        io.quarkus.runtime.configuration.MemorySize maxResponse();

        /** Fetches one call may make. */
        @WithDefault("20")
        int maxPerCall();

        /**
         * Whether {@code fetch} may reach internal addresses; unset, as the gateway's upstreams
         * ({@code TOLLGATE_ALLOW_PRIVATE_UPSTREAMS}).
         */
        Optional<Boolean> allowPrivate();
    }

    /**
     * The AI model that writes code, answers the assistant and makes suggestions ({@code TOLLGATE_GENERATOR_MODEL}:
     * a model name from {@code GET /v1/models}); unset, generation answers 503.
     */
    Optional<String> generatorModel();

    interface Generation {
        /** How many times the model may repair code whose tests fail. */
        @WithDefault("3")
        int repairs();

        /** The most output tokens one model answer may use. */
        @WithDefault("4096")
        int maxTokens();

        /**
         * Generations per user per calendar month (UTC), per account tier: {@code tier:limit,...}, 0 = no limit
         * ({@code TOLLGATE_GENERATION_LIMITS}).
         */
        @WithDefault("free:10,pro:200,enterprise:0")
        String monthlyLimits();
    }
}
