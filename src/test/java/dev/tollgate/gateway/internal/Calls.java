package dev.tollgate.gateway.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import dev.tollgate.gateway.AccountRule;
import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.PlanRule;
import dev.tollgate.gateway.Upstream;
import dev.tollgate.platform.Secrets;

/** Builds gateway snapshots and calls in memory, for unit tests of the processors. */
final class Calls {

    static final String SECRET = "tg_unit-test-secret";
    static final UUID CONSUMER = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    static final UUID KEY = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    static final UUID API = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID PLAN = UUID.fromString("00000000-0000-0000-0000-00000000000d");

    private Calls() {
    }

    static PlanRule plan(long requests, long periodMillis, long monthlyQuota) {
        return new PlanRule(PLAN, "free", requests, periodMillis, monthlyQuota, 0, 0);
    }

    static ApiRoute api(String slug, boolean paused, PlanRule plan, boolean subscribed) {
        return api(slug, UUID.randomUUID(), true, 0, paused, plan, subscribed);
    }

    /** An API of {@code owner}, public or private, with its own body limit (0 = the platform's). */
    static ApiRoute api(String slug, UUID owner, boolean publiclyVisible, long maxRequestBodyBytes, boolean paused,
            PlanRule plan, boolean subscribed) {
        return new ApiRoute(API, slug, owner, Upstream.parse("http://127.0.0.1:9"), paused, publiclyVisible, 30_000,
                maxRequestBodyBytes, plan == null ? Map.of() : Map.of(plan.id(), plan),
                subscribed
                        ? Map.of(CONSUMER, new ApiRoute.Subscription(UUID.randomUUID(), CONSUMER, PLAN, 0, 0, 0))
                        : Map.of());
    }

    static ApiKeyRule key(Set<UUID> apiIds, long expiresAtMillis) {
        return new ApiKeyRule(KEY, CONSUMER, Secrets.sha256Hex(SECRET), apiIds, expiresAtMillis);
    }

    static GatewayState state(List<ApiRoute> apis, List<ApiKeyRule> keys, List<AccountRule> accounts) {
        GatewayState state = new GatewayState();
        Map<String, ApiRoute> bySlug = new HashMap<>();
        apis.forEach(a -> bySlug.put(a.slug(), a));
        Map<String, ApiKeyRule> byHash = new HashMap<>();
        keys.forEach(k -> byHash.put(k.hashHex(), k));
        Map<UUID, AccountRule> byUser = new HashMap<>();
        accounts.forEach(a -> byUser.put(a.userId(), a));
        state.publish(new GatewayState.Catalog(bySlug));
        state.publish(new GatewayState.Keys(byHash));
        state.publish(new GatewayState.Accounts(byUser));
        return state;
    }

    static CallContext call(GatewayState state, String slug, Map<String, String> headers, long nowMillis) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return new CallContext(slug, byName::get, nowMillis, state);
    }

    /** A call that has passed authentication and access checks: api, key, account and plan are set. */
    static CallContext admitted(PlanRule plan, AccountRule account, long nowMillis) {
        ApiRoute api = api("svc", false, plan, true);
        ApiKeyRule key = key(Set.of(), 0);
        CallContext call = call(state(List.of(api), List.of(key), account == null ? List.of() : List.of(account)),
                "svc", Map.of(), nowMillis);
        call.api = api;
        call.key = key;
        call.account = account;
        call.subscription = api.subscriptionsByConsumer().get(CONSUMER);
        call.plan = plan;
        return call;
    }
}
