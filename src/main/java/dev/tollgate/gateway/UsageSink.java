package dev.tollgate.gateway;

import io.vertx.core.http.HttpServerRequest;

/**
 * Where the gateway hands usage events. Called on an event loop: must not block. Implemented by metering.
 */
public interface UsageSink {

    /** Accepts the event or, when its queue is full, counts and reports the loss and returns {@code false}. */
    boolean offer(UsageEvent event);

    /** Counts a call refused before a key identified whom it is from (401, 404, 400): no event, only the count. */
    void unattributed(int status);

    /**
     * The request header a trusted proxy in front of Tollgate puts the caller's country in (e.g. {@code CF-IPCountry});
     * null when none is configured.
     */
    String countryHeader();

    /** The caller's country as the trusted header gives it; null when no header is configured or sent. */
    default String countryOf(HttpServerRequest request) {
        String header = countryHeader();
        return header == null ? null : request.getHeader(header);
    }
}
