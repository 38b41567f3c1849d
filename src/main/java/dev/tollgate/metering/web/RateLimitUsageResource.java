package dev.tollgate.metering.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.Plans;
import dev.tollgate.gateway.AccountRule;
import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.CallLimits;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.PlanRule;
import io.quarkus.security.Authenticated;

@Path("/api/v1/rate-limit/usage")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "users")
public class RateLimitUsageResource {

    private final GatewayState gateway;
    private final CallLimits limits;
    private final CurrentUser currentUser;

    RateLimitUsageResource(GatewayState gateway, CallLimits limits, CurrentUser currentUser) {
        this.gateway = gateway;
        this.limits = limits;
        this.currentUser = currentUser;
    }

    public record Window(long limit, long used, long remaining, long resetSeconds) {
        static Window of(CallLimits.Use use) {
            return new Window(use.limit(), use.used(), use.remaining(), use.resetSeconds());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyOnApi(UUID keyId, UUID apiId, String apiSlug, UUID planId, String period, Window rateLimit,
            Window monthlyQuota) {
    }

    public record TierUse(String tier, Window hourly) {
    }

    public record RateLimitUsage(TierUse tier, List<KeyOnApi> windows) {
    }

    @GET
    @Operation(operationId = "getMyRateLimits", summary = "Current rate-limit windows of my keys", description = "For each of my usable keys and "
            + "each API it may call: the plan's rate-limit window and monthly quota, and my tier's hourly cap. Read "
            + "from this node's gateway counters.")
    public RateLimitUsage usage() {
        UUID me = currentUser.id();
        long now = System.currentTimeMillis();
        AccountRule account = gateway.accounts().byUser().get(me);
        String tier = account == null ? "free" : account.tier();
        List<ApiKeyRule> keys = gateway.keys().byHash().values().stream().filter(k -> k.ownerId().equals(me))
                .toList();
        List<KeyOnApi> windows = new ArrayList<>();
        for (ApiRoute api : gateway.catalog().bySlug().values()) {
            ApiRoute.Subscription subscription = api.subscriptionsByConsumer().get(me);
            PlanRule plan = subscription == null ? null : api.plans().get(subscription.planId());
            if (plan == null) {
                continue;
            }
            Window quota = plan.monthlyQuota() > 0
                    ? Window.of(limits.quota(me, api.id(), plan.monthlyQuota(), now))
                    : null;
            for (ApiKeyRule key : keys) {
                if (!key.allows(api.id())) {
                    continue;
                }
                Window rate = plan.rateLimitRequests() > 0
                        ? Window.of(limits.planWindow(key.id(), api.id(), plan.rateLimitRequests(),
                                plan.ratePeriodMillis(), now))
                        : null;
                windows.add(new KeyOnApi(key.id(), api.id(), api.slug(), plan.id(), periodName(plan), rate, quota));
            }
        }
        return new RateLimitUsage(new TierUse(tier, Window.of(limits.tierWindow(me, tier, now))), windows);
    }

    private static String periodName(PlanRule plan) {
        return Plans.PERIODS.entrySet().stream().filter(e -> e.getValue() == plan.ratePeriodMillis())
                .map(java.util.Map.Entry::getKey).findFirst().orElse(null);
    }
}
