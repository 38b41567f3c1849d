package dev.tollgate.gateway;

import java.util.Map;
import java.util.UUID;

/**
 * One API as the gateway sees it: where to send calls, whether it is paused or listed publicly, its request body limit,
 * its plans and the active subscription of each consumer. Immutable; replaced as a whole when anything about the API
 * changes. {@code maxRequestBodyBytes} 0 means the platform's default ({@code tollgate.gateway.max-request-body-size}).
 * A hosted API has no {@code upstream}: its calls run its code through {@link HostedUpstream}.
 */
public record ApiRoute(UUID id, String slug, UUID ownerId, Upstream upstream, boolean paused, boolean publiclyVisible,
        int timeoutMillis, long maxRequestBodyBytes, Map<UUID, PlanRule> plans,
        Map<UUID, Subscription> subscriptionsByConsumer) {

    public ApiRoute {
        plans = Map.copyOf(plans);
        subscriptionsByConsumer = Map.copyOf(subscriptionsByConsumer);
    }

    /** Whether Tollgate runs this API's code itself rather than proxying to a base URL. */
    public boolean hosted() {
        return upstream == null;
    }

    /**
     * A consumer's active subscription to this API. {@code blockedFromMillis}: when a past-due subscription's grace
     * period ends and its calls get 402 (0 = paid up). The period bounds are set on subscription plans (0 otherwise).
     */
    public record Subscription(UUID id, UUID consumerId, UUID planId, long blockedFromMillis, long periodStartMillis,
            long periodEndMillis) {
    }
}
