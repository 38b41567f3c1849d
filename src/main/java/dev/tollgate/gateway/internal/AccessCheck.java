package dev.tollgate.gateway.internal;

import dev.tollgate.platform.ProblemException;

/**
 * The key must be scoped to the API and its owner subscribed to it (403), the subscription not past due beyond its
 * grace period (402); finds the subscription's plan.
 */
final class AccessCheck implements GatewayProcessor {

    @Override
    public ProblemException apply(CallContext call) {
        if (!call.key.allows(call.api.id())) {
            return ProblemException.forbidden("This API key is not scoped to the API '" + call.api.slug() + "'.");
        }
        call.subscription = call.api.subscriptionsByConsumer().get(call.key.ownerId());
        if (call.subscription == null) {
            return ProblemException.forbidden("You are not subscribed to the API '" + call.api.slug()
                    + "': subscribe to one of its plans first.");
        }
        if (call.subscription.blockedFromMillis() != 0 && call.nowMillis >= call.subscription.blockedFromMillis()) {
            return new ProblemException(402, "Payment Required", "Your subscription to '" + call.api.slug()
                    + "' is past due: its renewal was not covered by your wallet. Top up your credits; the "
                    + "subscription renews within a minute.");
        }
        call.plan = call.api.plans().get(call.subscription.planId());
        if (call.plan == null) {
            return ProblemException.forbidden("Your subscription's plan is no longer offered by '" + call.api.slug()
                    + "'.");
        }
        return null;
    }
}
