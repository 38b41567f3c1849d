package dev.tollgate.gateway.internal;

import dev.tollgate.platform.ProblemException;

/** A paused API answers 503 without calling its upstream. */
final class AvailabilityCheck implements GatewayProcessor {

    @Override
    public ProblemException apply(CallContext call) {
        if (call.api.paused()) {
            return new ProblemException(503, "API Paused",
                    "The API '" + call.api.slug() + "' is paused by its provider; calls resume when it is resumed.");
        }
        return null;
    }
}
