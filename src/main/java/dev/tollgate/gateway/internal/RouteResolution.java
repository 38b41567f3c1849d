package dev.tollgate.gateway.internal;

import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.platform.ProblemException;

/**
 * Finds the API by its slug, as far as the caller may know of it (404). A private API is known to its owner, its
 * subscribers and admins; anyone else gets exactly the answer for a slug that names no API, so slugs of private APIs
 * cannot be discovered. Runs after {@link KeyAuthentication}: without a valid key every slug answers 401 alike.
 */
final class RouteResolution implements GatewayProcessor {

    @Override
    public ProblemException apply(CallContext call) {
        ApiRoute api = call.catalog.bySlug().get(call.slug);
        if (api == null || !api.publiclyVisible() && !knows(api, call)) {
            return ProblemException.notFound("No API is published at /gw/" + call.slug + ".");
        }
        call.api = api;
        return null;
    }

    private static boolean knows(ApiRoute api, CallContext call) {
        return api.ownerId().equals(call.key.ownerId())
                || api.subscriptionsByConsumer().containsKey(call.key.ownerId())
                || (call.account != null && call.account.admin());
    }
}
