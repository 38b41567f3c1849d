package dev.tollgate.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.catalog.store.ApiEntity;
import dev.tollgate.catalog.store.CatalogStore;
import dev.tollgate.catalog.store.PlanEntity;
import dev.tollgate.catalog.store.SubscriptionEntity;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Consumers' subscriptions: one active subscription per consumer and API, on one of its plans. Charging for paid
 * plans is billing's business; here a subscription is active from creation until cancelled.
 */
@ApplicationScoped
public class Subscriptions {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class);

    static final String SUBSCRIPTION_PLAN = "subscription";

    private final CatalogStore store;
    private final ChangeFeed changes;
    private final ApiAccess access;
    private final SubscriptionBilling billing;
    private final Notifications notifications;

    Subscriptions(CatalogStore store, ChangeFeed changes, ApiAccess access, SubscriptionBilling billing,
            Notifications notifications) {
        this.notifications = notifications;
        this.store = store;
        this.changes = changes;
        this.access = access;
        this.billing = billing;
    }

    public SubscriptionView subscribe(UUID consumerId, UUID apiId, UUID planId) {
        return Transactions.uniquely(() -> {
            ApiEntity api = access.visible(apiId, new Actor(consumerId, false));
            PlanEntity plan = store.plan(api.id, planId).orElseThrow(() -> ProblemException.invalid("plan_id",
                    "is not a plan of this API"));
            store.activeSubscription(consumerId, api.id).ifPresent(existing -> {
                throw ProblemException.conflict("You already subscribe to this API (subscription " + existing.id
                        + "); change its plan with PUT /api/v1/subscriptions/" + existing.id + ".");
            });
            Instant now = Instant.now();
            SubscriptionEntity subscription = new SubscriptionEntity();
            subscription.id = UUID.randomUUID();
            subscription.consumerId = consumerId;
            subscription.apiId = api.id;
            subscription.planId = plan.id;
            subscription.status = SubscriptionEntity.ACTIVE;
            subscription.activeKey = SubscriptionEntity.activeKey(consumerId, api.id);
            subscription.createdAt = now;
            subscription.updatedAt = now;
            store.persist(subscription);
            store.flush();
            startPeriod(subscription, api, plan, now);
            changes.changed(ApiCatalog.TOPIC);
            LOG.infof("User %s subscribed to API %s on plan %s", consumerId, api.id, plan.id);
            if (!api.ownerId.equals(consumerId)) {
                notifications.notify(new Notifications.Notice(api.ownerId, "new_subscriber",
                        "New subscriber to " + api.name, "Someone subscribed to " + api.name + " on the " + plan.name
                                + " plan.",
                        "/api/v1/apis/" + api.id, Map.of("api_id", api.id.toString(), "plan_id", plan.id.toString(),
                                "subscription_id", subscription.id.toString()),
                        "subscription:" + subscription.id));
            }
            return view(subscription, api, plan);
        }, "You already subscribe to this API.");
    }

    public List<SubscriptionView> mine(UUID consumerId, boolean includeEnded) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<SubscriptionEntity> subscriptions = store.subscriptionsOf(consumerId, !includeEnded);
            Map<UUID, ApiEntity> apis = store.apis(subscriptions.stream().map(s -> s.apiId).toList()).stream()
                    .collect(Collectors.toMap(a -> a.id, Function.identity()));
            return subscriptions.stream().map(s -> view(s, apis.get(s.apiId), store.planEvenRetired(s.apiId, s.planId)
                    .orElse(null))).toList();
        });
    }

    public SubscriptionView changePlan(UUID consumerId, UUID subscriptionId, UUID planId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity subscription = active(consumerId, subscriptionId);
            PlanEntity plan = store.plan(subscription.apiId, planId).orElseThrow(() -> ProblemException.invalid(
                    "plan_id", "is not a plan of this API"));
            subscription.planId = plan.id;
            subscription.updatedAt = Instant.now();
            ApiEntity api = store.api(subscription.apiId).orElseThrow();
            if (SUBSCRIPTION_PLAN.equals(plan.type)) {
                startPeriod(subscription, api, plan, subscription.updatedAt);
            } else {
                subscription.currentPeriodStart = null;
                subscription.currentPeriodEnd = null;
                subscription.pastDueSince = null;
            }
            changes.changed(ApiCatalog.TOPIC);
            return view(subscription, store.api(subscription.apiId).orElse(null), plan);
        });
    }

    public void cancel(UUID consumerId, UUID subscriptionId) {
        QuarkusTransaction.requiringNew().run(() -> {
            SubscriptionEntity subscription = active(consumerId, subscriptionId);
            Instant now = Instant.now();
            subscription.status = SubscriptionEntity.CANCELLED;
            subscription.activeKey = null;
            subscription.cancelledAt = now;
            subscription.updatedAt = now;
            changes.changed(ApiCatalog.TOPIC);
            notifications.notify(new Notifications.Notice(consumerId, "subscription_cancelled",
                    "Subscription cancelled", "Your subscription " + subscriptionId + " is cancelled; calls with it "
                            + "are refused from now on.",
                    "/api/v1/subscriptions", Map.of("subscription_id", subscriptionId.toString()),
                    "subscription:" + subscriptionId + ":cancelled"));
            LOG.infof("User %s cancelled subscription %s", consumerId, subscriptionId);
        });
    }

    /**
     * On a subscription plan, charges a new monthly period from now (in this transaction: no charge, no
     * subscription). Other plans have no periods.
     */
    private void startPeriod(SubscriptionEntity subscription, ApiEntity api, PlanEntity plan, Instant now) {
        if (!SUBSCRIPTION_PLAN.equals(plan.type)) {
            return;
        }
        int period = subscription.periodNumber + 1;
        billing.chargePeriod(subscription.id, period, subscription.consumerId, api.ownerId, api.id,
                plan.monthlyPrice);
        subscription.periodNumber = period;
        subscription.currentPeriodStart = now;
        subscription.currentPeriodEnd = SubscriptionPeriods.plusMonth(now);
        subscription.pastDueSince = null;
    }

    private SubscriptionEntity active(UUID consumerId, UUID subscriptionId) {
        SubscriptionEntity subscription = store.subscription(subscriptionId)
                .filter(s -> s.consumerId.equals(consumerId))
                .orElseThrow(() -> ProblemException.notFound("No subscription with id " + subscriptionId + "."));
        if (!SubscriptionEntity.ACTIVE.equals(subscription.status)) {
            throw ProblemException.conflict("The subscription has already ended.");
        }
        return subscription;
    }

    private static SubscriptionView view(SubscriptionEntity s, ApiEntity api, PlanEntity plan) {
        return new SubscriptionView(s.id, s.consumerId, s.apiId, api == null ? null : api.slug,
                api == null ? null : api.name, s.planId, plan == null ? null : plan.name,
                plan == null ? null : plan.type,
                SubscriptionEntity.ACTIVE.equals(s.status) && s.pastDueSince != null ? "past_due" : s.status,
                api == null ? null : "/gw/" + api.slug, s.createdAt, s.cancelledAt, s.currentPeriodStart,
                s.currentPeriodEnd, s.pastDueSince);
    }
}
