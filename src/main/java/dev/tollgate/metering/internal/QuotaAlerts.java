package dev.tollgate.metering.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.tollgate.aiproxy.AiLimits;
import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.CallLimits;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.PlanRule;
import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.notifications.Notifications.Notice;
import dev.tollgate.platform.Money;

/**
 * Tells consumers when they reach 80% ({@code quota_warning}) and 100% ({@code quota_exhausted}) of a monthly quota:
 * a plan's monthly call quota on an API, and a key's monthly AI spend cap. Run by the usage writer after each batch
 * of usage events is written — never on the request path — from the same in-memory counters the gateway and the AI
 * proxy enforce (per node, re-seeded from recorded usage at start-up), so it says what enforcement does. Once per
 * quota and month (a key's spend cap counts as used up once it refused a call, as the proxy refuses calls whose
 * worst case would pass it): the cause is {@code quota80:<subscription or key>:<month start>} (or {@code quota100:…}); only the
 * highest level reached is told when a batch jumps past both.
 */
@Singleton
class QuotaAlerts {

    private final GatewayState state;
    private final CallLimits limits;
    private final AiLimits aiLimits;
    private final Notifications notifications;
    private final Clock clock;
    /** Causes already told, so that later batches do not ask the notifications again; cleared each month. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();
    private YearMonth toldMonth;
    private GatewayState.Catalog indexedCatalog;
    private Map<UUID, ApiRoute> routes = Map.of();
    private GatewayState.Keys indexedKeys;
    private Map<UUID, ApiKeyRule> keys = Map.of();

    QuotaAlerts(GatewayState state, CallLimits limits, AiLimits aiLimits, Notifications notifications, Clock clock) {
        this.state = state;
        this.limits = limits;
        this.aiLimits = aiLimits;
        this.notifications = notifications;
        this.clock = clock;
    }

    private record CallQuota(UUID consumerId, UUID apiId, UUID planId) {
    }

    /** Checks the quotas the batch's calls counted toward. Called by the usage writer thread only. */
    void check(List<UsageEvent> batch) {
        long now = clock.millis();
        YearMonth month = YearMonth.from(Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC));
        if (!month.equals(toldMonth)) {
            told.clear();
            toldMonth = month;
        }
        Map<CallQuota, Boolean> calls = new LinkedHashMap<>();
        Map<UUID, UUID> aiKeys = new LinkedHashMap<>();
        for (UsageEvent e : batch) {
            if (e.consumerId() == null) {
                continue;
            }
            if (e.ai() == null) {
                if (e.dispatched()) {
                    calls.put(new CallQuota(e.consumerId(), e.apiId(), e.planId()), Boolean.TRUE);
                }
            } else if (e.keyId() != null) {
                aiKeys.put(e.keyId(), e.consumerId()); // refused calls too: a spend-cap refusal uses the cap up
            }
        }
        if (!calls.isEmpty()) {
            Map<UUID, ApiRoute> byId = routes();
            calls.keySet().forEach(q -> checkPlan(q, byId.get(q.apiId()), month, now));
        }
        if (!aiKeys.isEmpty()) {
            Map<UUID, ApiKeyRule> byId = keys();
            aiKeys.keySet().forEach(k -> checkSpendCap(byId.get(k), month, now));
        }
    }

    private void checkPlan(CallQuota q, ApiRoute route, YearMonth month, long now) {
        if (route == null) {
            return;
        }
        PlanRule plan = route.plans().get(q.planId());
        if (plan == null || plan.monthlyQuota() <= 0) {
            return;
        }
        long quota = plan.monthlyQuota();
        long used = limits.quota(q.consumerId(), q.apiId(), quota, now).used();
        int level = level(used, quota);
        if (level == 0) {
            return;
        }
        ApiRoute.Subscription subscription = route.subscriptionsByConsumer().get(q.consumerId());
        String subject = subscription != null ? subscription.id().toString() : q.consumerId() + ":" + q.apiId();
        String cause = "quota" + level + ":" + subject + ":" + month.atDay(1);
        if (!told.add(cause)) {
            return;
        }
        LocalDate renews = month.plusMonths(1).atDay(1);
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("api_id", q.apiId().toString());
        metadata.put("plan_id", q.planId().toString());
        if (subscription != null) {
            metadata.put("subscription_id", subscription.id().toString());
        }
        metadata.put("quota", quota);
        metadata.put("used", used);
        metadata.put("period_start", month.atDay(1).toString());
        String made = "You have made " + used + " of the " + quota + " calls your plan allows on '" + route.slug()
                + "' this month (UTC). ";
        notifications.notify(level == 100
                ? new Notice(q.consumerId(), "quota_exhausted", "Monthly quota used up on " + route.slug(),
                        made + "Further calls are refused (429) until the quota renews on " + renews + ".",
                        "/api/v1/rate-limit/usage", metadata, cause)
                : new Notice(q.consumerId(), "quota_warning", "80% of your monthly quota used on " + route.slug(),
                        made + "At " + quota + " calls are refused (429) until the quota renews on " + renews
                                + ".",
                        "/api/v1/rate-limit/usage", metadata, cause));
    }

    private void checkSpendCap(ApiKeyRule key, YearMonth month, long now) {
        if (key == null || key.monthlySpendCapMicros() <= 0) {
            return; // no cap, or a cap of 0 that allows nothing from the start
        }
        long cap = key.monthlySpendCapMicros();
        long spent = aiLimits.spentThisMonth(key.id(), now);
        // calls are refused once their worst case would pass the cap, usually a little before spending reaches it
        int level = aiLimits.spendCapReached(key.id(), now) ? 100 : level(spent, cap);
        if (level == 0) {
            return;
        }
        String cause = "quota" + level + ":" + key.id() + ":" + month.atDay(1);
        if (!told.add(cause)) {
            return;
        }
        LocalDate renews = month.plusMonths(1).atDay(1);
        String capText = Money.fromMicros(cap).toPlainString();
        String spentText = Money.fromMicros(spent).toPlainString();
        Map<String, Object> metadata = Map.of("key_id", key.id().toString(), "monthly_spend_cap",
                Money.fromMicros(cap), "spent", Money.fromMicros(spent),
                "period_start", month.atDay(1).toString());
        String made = "One of your API keys has spent " + spentText + " of its monthly AI spend cap of " + capText
                + " this month (UTC). ";
        notifications.notify(level == 100
                ? new Notice(key.ownerId(), "quota_exhausted", "Monthly spend cap reached on an API key",
                        made + "A call was refused because its cost could pass the cap: what is left is too little for"
                                + " such calls until the cap renews on " + renews + ".",
                        "/api/v1/api-keys",
                        metadata, cause)
                : new Notice(key.ownerId(), "quota_warning", "80% of an API key's monthly spend cap used",
                        made + "AI calls whose cost could pass the cap are refused until it renews on " + renews
                                + ".",
                        "/api/v1/api-keys", metadata, cause));
    }

    /** 100 when {@code used} reached {@code quota}, 80 from 80% of it, else 0. */
    static int level(long used, long quota) {
        if (used >= quota) {
            return 100;
        }
        return used * 5 >= quota * 4 ? 80 : 0;
    }

    private Map<UUID, ApiRoute> routes() {
        GatewayState.Catalog catalog = state.catalog();
        if (catalog != indexedCatalog) {
            Map<UUID, ApiRoute> byId = new HashMap<>();
            catalog.bySlug().values().forEach(r -> byId.put(r.id(), r));
            routes = byId;
            indexedCatalog = catalog;
        }
        return routes;
    }

    private Map<UUID, ApiKeyRule> keys() {
        GatewayState.Keys current = state.keys();
        if (current != indexedKeys) {
            Map<UUID, ApiKeyRule> byId = new HashMap<>();
            current.byHash().values().forEach(k -> byId.put(k.id(), k));
            keys = byId;
            indexedKeys = current;
        }
        return keys;
    }
}
