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
     * The caller's country: as the trusted header a proxy in front of Tollgate sets (e.g. {@code CF-IPCountry}) gives
     * it, else from the offline GeoIP database by the client's address, else null. Must not block.
     */
    String countryOf(HttpServerRequest request);
}
