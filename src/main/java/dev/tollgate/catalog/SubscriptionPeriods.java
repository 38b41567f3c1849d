package dev.tollgate.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tollgate.catalog.store.ApiEntity;
import dev.tollgate.catalog.store.CatalogStore;
import dev.tollgate.catalog.store.PlanEntity;
import dev.tollgate.catalog.store.SubscriptionEntity;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Renews subscription plans monthly from the consumer's wallet. A renewal that the wallet does not cover marks the
 * subscription past due (tried again on every run); its calls keep passing for the grace period
 * ({@code tollgate.subscriptions.grace-period}, 3 days) and then get 402 until a renewal succeeds.
 */
@ApplicationScoped
public class SubscriptionPeriods {

    private static final Logger LOG = Logger.getLogger(SubscriptionPeriods.class);

    private final CatalogStore store;
    private final SubscriptionBilling billing;
    private final ChangeFeed changes;
    private final Duration interval;
    private final Notifications notifications;
    private ScheduledExecutorService timer;

    SubscriptionPeriods(CatalogStore store, SubscriptionBilling billing, ChangeFeed changes,
            @ConfigProperty(name = "tollgate.subscriptions.renewal-interval", defaultValue = "60s") Duration interval,
            Notifications notifications) {
        this.notifications = notifications;
        this.store = store;
        this.billing = billing;
        this.changes = changes;
        this.interval = interval;
    }

    static Instant plusMonth(Instant start) {
        return start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
    }

    void start(@Observes StartupEvent ignored) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-renewals");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                renewDue(Instant.now());
            } catch (RuntimeException e) {
                LOG.errorf("Renewing subscriptions failed: %s", e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Charges every subscription whose period ended by {@code now}; returns how many were renewed. */
    /** The current period of a subscription whose plan includes free calls. */
    public record IncludedCallsPeriod(UUID subscriptionId, UUID consumerId, UUID apiId, long includedCalls,
            Instant periodStart, Instant periodEnd) {
    }

    /** Active subscriptions on plans with included calls whose current period has not ended at {@code now}. */
    public List<IncludedCallsPeriod> includedCallPeriods(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            java.util.Map<UUID, PlanEntity> plans = new java.util.HashMap<>();
            store.allPlans().forEach(p -> plans.put(p.id, p));
            List<IncludedCallsPeriod> periods = new java.util.ArrayList<>();
            for (SubscriptionEntity s : store.activeSubscriptions()) {
                PlanEntity plan = plans.get(s.planId);
                if (plan != null && Subscriptions.SUBSCRIPTION_PLAN.equals(plan.type) && plan.includedCalls > 0
                        && s.currentPeriodStart != null && s.currentPeriodEnd != null
                        && s.currentPeriodEnd.isAfter(now)) {
                    periods.add(new IncludedCallsPeriod(s.id, s.consumerId, s.apiId, plan.includedCalls,
                            s.currentPeriodStart, s.currentPeriodEnd));
                }
            }
            return periods;
        });
    }

    public int renewDue(Instant now) {
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> store.subscriptionsDue(now));
        int renewed = 0;
        for (UUID id : due) {
            if (renew(id, now)) {
                renewed++;
            }
        }
        return renewed;
    }

    private boolean renew(UUID id, Instant now) {
        try {
            boolean wasPastDue = QuarkusTransaction.requiringNew().call(() -> {
                SubscriptionEntity s = store.subscription(id).orElseThrow();
                PlanEntity plan = store.plan(s.apiId, s.planId).orElse(null);
                ApiEntity api = store.api(s.apiId).orElse(null);
                if (plan == null || api == null || !Subscriptions.SUBSCRIPTION_PLAN.equals(plan.type)
                        || !SubscriptionEntity.ACTIVE.equals(s.status) || s.currentPeriodEnd.isAfter(now)) {
                    return false;
                }
                int period = s.periodNumber + 1;
                billing.chargePeriod(s.id, period, s.consumerId, api.ownerId, api.id, plan.monthlyPrice);
                boolean pastDue = s.pastDueSince != null;
                s.periodNumber = period;
                s.currentPeriodStart = s.currentPeriodEnd;
                s.currentPeriodEnd = plusMonth(s.currentPeriodEnd);
                s.pastDueSince = null;
                s.updatedAt = now;
                if (pastDue) {
                    changes.changed(ApiCatalog.TOPIC);
                }
                notifications.notify(new Notifications.Notice(s.consumerId, "subscription_renewed",
                        "Subscription to " + api.name + " renewed", "The " + plan.name + " plan was renewed until "
                                + s.currentPeriodEnd + "; its monthly price was charged to your wallet.",
                        "/api/v1/subscriptions", Map.of("subscription_id", s.id.toString(), "period", period),
                        "subscription:" + s.id + ":period:" + period));
                return pastDue;
            });
            LOG.infof("Subscription %s renewed%s", id, wasPastDue ? " (no longer past due)" : "");
            return true;
        } catch (ProblemException e) {
            if (e.status() != 402) {
                throw e;
            }
            QuarkusTransaction.requiringNew().run(() -> {
                SubscriptionEntity s = store.subscription(id).orElseThrow();
                if (s.pastDueSince == null) {
                    s.pastDueSince = now;
                    s.updatedAt = now;
                    notifications.notify(new Notifications.Notice(s.consumerId, "subscription_past_due",
                            "Subscription renewal failed", "Your wallet does not cover the next month of the "
                                    + "subscription; top up your credits before the grace period ends, or its calls "
                                    + "are refused.",
                            "/api/v1/subscriptions", Map.of("subscription_id", s.id.toString()),
                            "subscription:" + s.id + ":past_due:" + (s.periodNumber + 1)));
                    changes.changed(ApiCatalog.TOPIC);
                    LOG.infof("Subscription %s is past due: the wallet does not cover the renewal", id);
                }
            });
            return false;
        }
    }
}
