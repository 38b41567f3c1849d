package dev.tollgate.keys.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.keys.store.ApiKeyEntity;
import dev.tollgate.keys.store.KeyStore;
import dev.tollgate.platform.ChangeFeed;
import io.quarkus.runtime.StartupEvent;

/** Publishes the usable keys (hashes, owners, scopes, expiry) to the gateway at start-up and on every key change. */
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
                byHash.put(key.keyHash, new ApiKeyRule(key.id, key.ownerId, key.keyHash,
                        new HashSet<>(key.apiIdList()), key.expiresAt == null ? 0 : key.expiresAt.toEpochMilli()));
            }
            gateway.publish(new GatewayState.Keys(byHash));
        });
    }
}
