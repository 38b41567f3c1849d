package dev.tollgate.keys.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.ModelLimit;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.keys.KeyModelLimit;
import dev.tollgate.keys.store.ApiKeyEntity;
import dev.tollgate.keys.store.KeyStore;
import dev.tollgate.platform.ChangeFeed;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes the usable keys (hashes, owners, API and model scopes, model limits, spend caps, expiry) to the gateway
 * and the AI proxy at start-up and on every key change.
 */
@ApplicationScoped
class KeysDeployer {

    private final KeyStore store;
    private final GatewayState gateway;
    private final ChangeFeed changes;

    KeysDeployer(KeyStore store, GatewayState gateway, ChangeFeed changes) {
        this.store = store;
        this.gateway = gateway;
        this.changes = changes;
    }

    void start(@Observes StartupEvent ignored) {
        changes.subscribe(ApiKeys.TOPIC, version -> {
            version.getAsLong();
            Map<String, ApiKeyRule> byHash = new HashMap<>();
            for (ApiKeyEntity key : store.usableKeys(Instant.now())) {
                byHash.put(key.keyHash, rule(key));
            }
            gateway.publish(new GatewayState.Keys(byHash));
        });
    }

    static ApiKeyRule rule(ApiKeyEntity key) {
        Map<String, ModelLimit> limits = new HashMap<>();
        key.modelLimitMap().forEach((model, limit) -> limits.put(model, limit(limit)));
        return new ApiKeyRule(key.id, key.ownerId, key.keyHash, new HashSet<>(key.apiIdList()),
                key.expiresAt == null ? 0 : key.expiresAt.toEpochMilli(), Set.copyOf(key.modelIdList()), limits,
                key.monthlySpendCap == null ? ApiKeyRule.NO_SPEND_CAP : key.monthlySpendCap);
    }

    private static ModelLimit limit(KeyModelLimit limit) {
        return new ModelLimit(limit.requestsPerMinute() == null ? 0 : limit.requestsPerMinute(),
                limit.tokensPerMinute() == null ? 0 : limit.tokensPerMinute());
    }
}
