package dev.tollgate.gateway.internal;

import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.PlanRule;
import dev.tollgate.platform.ProblemException;

/**
 * What the call costs: the price on a pay-per-call plan; on a subscription plan nothing for the period's included
 * calls (counted per subscription and period, {@code X-Included-Calls-Limit/Remaining} on the response) and the
 * plan's {@code price_per_call} for each call beyond them (overage). Free plans cost nothing. Never refuses; an
 * included call it counts is noted on the call, so a later refusal gives it back.
 */
final class Pricing implements GatewayProcessor {

    static final String PAY_PER_CALL = "pay_per_call";
    static final String SUBSCRIPTION = "subscription";

    private final FixedWindowCounters included;

    Pricing(FixedWindowCounters included) {
        this.included = included;
    }

    @Override
    public ProblemException apply(CallContext call) {
        PlanRule plan = call.plan;
        if (PAY_PER_CALL.equals(plan.type())) {
            call.priceMicros = plan.pricePerCallMicros();
            return null;
        }
        ApiRoute.Subscription subscription = call.subscription;
        if (!SUBSCRIPTION.equals(plan.type()) || subscription.periodEndMillis() <= call.nowMillis) {
            return null;
        }
        if (plan.includedCalls() > 0) {
            LimitKeys.SubscriptionPeriod key = new LimitKeys.SubscriptionPeriod(subscription.id());
            FixedWindowCounters.Result result = included.tryAcquire(key, plan.includedCalls(),
                    subscription.periodStartMillis(), subscription.periodEndMillis());
            call.addResponseHeader("X-Included-Calls-Limit", Long.toString(plan.includedCalls()));
            call.addResponseHeader("X-Included-Calls-Remaining", Long.toString(result.remaining()));
            if (result.allowed()) {
                call.took(included, key, result.windowStartMillis());
                return null;
            }
        }
        call.priceMicros = plan.pricePerCallMicros();
        return null;
    }
}
