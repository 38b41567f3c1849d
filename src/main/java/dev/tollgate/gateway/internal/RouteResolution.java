package dev.tollgate.gateway.internal;

import dev.tollgate.platform.ProblemException;

/** Finds the API by its slug (404). */
final class RouteResolution implements GatewayProcessor {

    @Override
    public ProblemException apply(CallContext call) {
        call.api = call.catalog.bySlug().get(call.slug);
        if (call.api == null) {
            return ProblemException.notFound("No API is published at /gw/" + call.slug + ".");
        }
        return null;
    }
}
