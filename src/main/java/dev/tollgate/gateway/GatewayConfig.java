package dev.tollgate.gateway;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Gateway settings ({@code tollgate.gateway.*}); the README's configuration table lists their variables. */
@ConfigMapping(prefix = "tollgate.gateway")
public interface GatewayConfig {

    /**
     * Whether upstreams may be on loopback, private or link-local addresses ({@code TOLLGATE_ALLOW_PRIVATE_UPSTREAMS}).
     * Off by default, so providers cannot point the gateway at the platform's own network.
     */
    @WithDefault("false")
    boolean allowPrivateUpstreams();

    /**
     * Hourly cap on all gateway calls of a consumer, per account tier ({@code TOLLGATE_TIER_HOURLY_LIMITS}), e.g.
     * {@code free:100,pro:1000,enterprise:10000}; 0 means no cap.
     */
    @WithDefault("free:100,pro:1000,enterprise:10000")
    String tierHourlyLimits();

    /** Pooled keep-alive connections per upstream host. */
    @WithDefault("256")
    int maxConnectionsPerUpstream();

    /**
     * Largest request body an API accepts unless it sets its own {@code max_request_body_bytes}
     * ({@code TOLLGATE_GATEWAY_MAX_REQUEST_BODY_SIZE}, e.g. {@code 10M}, {@code 512K}); larger bodies get 413.
     */
    @WithDefault("10M")
    MemorySize maxRequestBodySize();

    /** Longest wait for a TCP (and TLS) connection to an upstream; the API's own timeout caps it too. */
    @WithDefault("5s")
    Duration connectTimeout();
}
