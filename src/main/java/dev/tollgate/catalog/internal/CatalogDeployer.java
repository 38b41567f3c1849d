package dev.tollgate.catalog.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.Plans;
import dev.tollgate.catalog.store.ApiEntity;
import dev.tollgate.catalog.store.CatalogStore;
import dev.tollgate.catalog.store.PlanEntity;
import dev.tollgate.catalog.store.SubscriptionEntity;
import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.PlanRule;
import dev.tollgate.gateway.Upstream;
import dev.tollgate.platform.ChangeFeed;
import io.quarkus.runtime.StartupEvent;

/** Publishes APIs, plans and active subscriptions to the gateway at start-up and on every catalog change. */
@ApplicationScoped
class CatalogDeployer {

    private static final Logger LOG = Logger.getLogger(CatalogDeployer.class);

    private final CatalogStore store;
    private final GatewayState gateway;
    private final ChangeFeed changes;

    private final Duration gracePeriod;

    CatalogDeployer(CatalogStore store, GatewayState gateway, ChangeFeed changes,
            @ConfigProperty(name = "tollgate.subscriptions.grace-period", defaultValue = "3d") Duration gracePeriod) {
        this.store = store;
        this.gateway = gateway;
        this.changes = changes;
        this.gracePeriod = gracePeriod;
    }

    void start(@Observes StartupEvent ignored) {
        changes.subscribe(ApiCatalog.TOPIC, version -> {
            long loaded = version.getAsLong();
            GatewayState.Catalog catalog = load();
            gateway.publish(catalog);
            LOG.debugf("Catalog snapshot %d published: %d APIs", loaded, catalog.bySlug().size());
        });
    }

    private GatewayState.Catalog load() {
        Map<UUID, Map<UUID, PlanRule>> plans = new HashMap<>();
        for (PlanEntity plan : store.allPlans()) {
            plans.computeIfAbsent(plan.apiId, k -> new HashMap<>()).put(plan.id, rule(plan));
        }
        Map<UUID, Map<UUID, ApiRoute.Subscription>> subscriptions = new HashMap<>();
        for (SubscriptionEntity s : store.activeSubscriptions()) {
            subscriptions.computeIfAbsent(s.apiId, k -> new HashMap<>()).put(s.consumerId,
                    new ApiRoute.Subscription(s.id, s.consumerId, s.planId, s.pastDueSince == null
                            ? 0
                            : s.pastDueSince.plus(gracePeriod).toEpochMilli(),
                            s.currentPeriodStart == null ? 0 : s.currentPeriodStart.toEpochMilli(),
                            s.currentPeriodEnd == null ? 0 : s.currentPeriodEnd.toEpochMilli()));
        }
        Map<String, ApiRoute> bySlug = new HashMap<>();
        List<ApiEntity> apis = store.allApis();
        for (ApiEntity api : apis) {
            Upstream upstream = null;
            try {
                if (!"hosted".equals(api.kind)) {
                    upstream = Upstream.parse(api.baseUrl);
                }
            } catch (IllegalArgumentException e) {
                LOG.errorf("API %s has an unusable base_url (%s); it is left off the gateway", api.id, e.getMessage());
                continue;
            }
            bySlug.put(api.slug, new ApiRoute(api.id, api.slug, api.ownerId, upstream, "paused".equals(api.status),
                    "public".equals(api.visibility), api.timeoutMs,
                    api.maxRequestBodyBytes == null ? 0 : api.maxRequestBodyBytes, plans.getOrDefault(api.id, Map.of()),
                    subscriptions.getOrDefault(api.id, Map.of())));
        }
        return new GatewayState.Catalog(bySlug);
    }

    private static PlanRule rule(PlanEntity plan) {
        long requests = plan.rateLimitRequests == null ? 0 : plan.rateLimitRequests;
        long period = plan.rateLimitPeriod == null ? 0 : Plans.PERIODS.getOrDefault(plan.rateLimitPeriod, 0L);
        return new PlanRule(plan.id, plan.type, period == 0 ? 0 : requests, period,
                plan.monthlyQuota == null ? 0 : plan.monthlyQuota, plan.pricePerCall, plan.includedCalls);
    }
}
