package dev.tollgate.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.catalog.store.ApiEntity;
import dev.tollgate.catalog.store.CatalogStore;
import dev.tollgate.catalog.store.PlanEntity;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Plans of an API: free, pay-per-call or subscription, each with an optional rate limit and monthly quota. An API
 * always has at least one plan: a free default one is created with it and comes back if its last plan is deleted.
 */
@ApplicationScoped
public class Plans {

    private static final Logger LOG = Logger.getLogger(Plans.class);
    private static final int MAX_PLANS = 20;

    /** Rate-limit periods and their lengths. */
    public static final Map<String, Long> PERIODS = Map.of("second", 1_000L, "minute", 60_000L, "hour", 3_600_000L,
            "day", 86_400_000L);

    /** A plan as submitted; PUT replaces every field, so absent ones take their defaults. */
    public record PlanDraft(String name, String type, BigDecimal pricePerCall, BigDecimal monthlyPrice,
            Long includedCalls, PlanView.RateLimit rateLimit, Long monthlyQuota) {
    }

    private final CatalogStore store;
    private final ChangeFeed changes;
    private final ApiAccess access;

    Plans(CatalogStore store, ChangeFeed changes, ApiAccess access) {
        this.store = store;
        this.access = access;
        this.changes = changes;
    }

    public List<PlanView> list(UUID apiId, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            access.visible(apiId, actor);
            return store.plansOf(apiId).stream().map(Plans::view).toList();
        });
    }

    public PlanView get(UUID apiId, UUID planId, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            access.visible(apiId, actor);
            return view(plan(apiId, planId));
        });
    }

    public PlanView create(UUID apiId, Actor actor, PlanDraft draft) {
        Validated valid = validate(draft);
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiEntity api = access.managed(apiId, actor, "add plans to it");
            List<PlanEntity> existing = store.plansOf(api.id);
            if (existing.size() >= MAX_PLANS) {
                throw ProblemException.conflict("An API can have at most " + MAX_PLANS + " plans.");
            }
            Instant now = Instant.now();
            PlanEntity plan = new PlanEntity();
            plan.id = UUID.randomUUID();
            plan.apiId = api.id;
            plan.createdAt = now;
            apply(plan, draft, valid, now);
            store.persist(plan);
            changes.changed(ApiCatalog.TOPIC);
            return view(plan);
        });
    }

    public PlanView update(UUID apiId, UUID planId, Actor actor, PlanDraft draft) {
        Validated valid = validate(draft);
        return QuarkusTransaction.requiringNew().call(() -> {
            access.managed(apiId, actor, "change its plans");
            PlanEntity plan = plan(apiId, planId);
            apply(plan, draft, valid, Instant.now());
            plan.isDefault = false;
            changes.changed(ApiCatalog.TOPIC);
            return view(plan);
        });
    }

    /**
     * 409 while the plan has active subscriptions; deleting the last plan brings back the free default. A plan that
     * ended subscriptions name is retired (kept for their history) rather than removed.
     */
    public void delete(UUID apiId, UUID planId, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            access.managed(apiId, actor, "delete its plans");
            PlanEntity plan = plan(apiId, planId);
            long subscribers = store.activeSubscriptionsOnPlan(plan.id);
            if (subscribers > 0) {
                throw ProblemException.conflict("The plan has " + subscribers
                        + " active subscription(s); they must end or move to another plan first.");
            }
            boolean last = store.plansOf(apiId).size() == 1;
            if (store.planEverSubscribed(plan.id)) {
                plan.retiredAt = Instant.now();
            } else {
                store.remove(plan);
            }
            store.flush();
            if (last) {
                createDefault(apiId, Instant.now());
            }
            changes.changed(ApiCatalog.TOPIC);
            LOG.infof("Plan %s of API %s deleted by %s", planId, apiId, actor.userId());
        });
    }

    /** The free plan every new API starts with. Runs in the caller's transaction. */
    void createDefault(UUID apiId, Instant now) {
        PlanEntity plan = new PlanEntity();
        plan.id = UUID.randomUUID();
        plan.apiId = apiId;
        plan.name = "Free";
        plan.type = "free";
        plan.isDefault = true;
        plan.createdAt = now;
        plan.updatedAt = now;
        store.persist(plan);
    }

    private PlanEntity plan(UUID apiId, UUID planId) {
        return store.plan(apiId, planId)
                .orElseThrow(() -> ProblemException.notFound("No plan with id " + planId + " on this API."));
    }

    private record Validated(long pricePerCall, long monthlyPrice) {
    }

    private static Validated validate(PlanDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        if (draft.name() == null || draft.name().isBlank() || draft.name().length() > 64) {
            errors.add(new FieldError("name", "is required, 1 to 64 characters"));
        }
        String type = draft.type();
        if (type == null || !(type.equals("free") || type.equals("pay_per_call") || type.equals("subscription"))) {
            errors.add(new FieldError("type", "must be free, pay_per_call or subscription"));
        }
        long perCall = micros(errors, "price_per_call", draft.pricePerCall());
        long monthly = micros(errors, "monthly_price", draft.monthlyPrice());
        if ("free".equals(type) && (perCall > 0 || monthly > 0)) {
            errors.add(new FieldError(perCall > 0 ? "price_per_call" : "monthly_price", "must be 0 on a free plan"));
        }
        if ("pay_per_call".equals(type)) {
            if (perCall <= 0) {
                errors.add(new FieldError("price_per_call", "must be more than 0 on a pay_per_call plan"));
            }
            if (monthly > 0) {
                errors.add(new FieldError("monthly_price", "must be 0 on a pay_per_call plan"));
            }
        }
        if ("subscription".equals(type) && monthly <= 0) {
            errors.add(new FieldError("monthly_price", "must be more than 0 on a subscription plan"));
        }
        if (draft.includedCalls() != null && draft.includedCalls() < 0) {
            errors.add(new FieldError("included_calls", "must be 0 or more"));
        }
        if (draft.rateLimit() != null) {
            if (draft.rateLimit().requests() < 1 || draft.rateLimit().requests() > 1_000_000_000L) {
                errors.add(new FieldError("rate_limit.requests", "must be 1 to 1000000000"));
            }
            if (draft.rateLimit().period() == null || !PERIODS.containsKey(draft.rateLimit().period())) {
                errors.add(new FieldError("rate_limit.period", "must be second, minute, hour or day"));
            }
        }
        if (draft.monthlyQuota() != null && draft.monthlyQuota() < 1) {
            errors.add(new FieldError("monthly_quota", "must be 1 or more (leave it out for no quota)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Validated(perCall, monthly);
    }

    private static long micros(List<FieldError> errors, String field, BigDecimal amount) {
        if (amount == null) {
            return 0;
        }
        try {
            return Money.toMicros(amount);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return 0;
        }
    }

    private static void apply(PlanEntity plan, PlanDraft draft, Validated valid, Instant now) {
        plan.name = draft.name().trim();
        plan.type = draft.type();
        plan.pricePerCall = valid.pricePerCall();
        plan.monthlyPrice = valid.monthlyPrice();
        plan.includedCalls = draft.includedCalls() == null ? 0 : draft.includedCalls();
        plan.rateLimitRequests = draft.rateLimit() == null ? null : draft.rateLimit().requests();
        plan.rateLimitPeriod = draft.rateLimit() == null ? null : draft.rateLimit().period();
        plan.monthlyQuota = draft.monthlyQuota();
        plan.updatedAt = now;
    }

    static PlanView view(PlanEntity plan) {
        return new PlanView(plan.id, plan.apiId, plan.name, plan.type, Money.fromMicros(plan.pricePerCall),
                Money.fromMicros(plan.monthlyPrice), plan.includedCalls,
                plan.rateLimitRequests == null
                        ? null
                        : new PlanView.RateLimit(plan.rateLimitRequests, plan.rateLimitPeriod),
                plan.monthlyQuota, plan.isDefault, plan.createdAt, plan.updatedAt);
    }
}
