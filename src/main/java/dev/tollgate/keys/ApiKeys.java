package dev.tollgate.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.keys.store.ApiKeyEntity;
import dev.tollgate.keys.store.KeyStore;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Consumers' API keys: {@code tg_} followed by 256 random bits, shown once and stored only as a SHA-256 hash. Creating,
 * revoking and rotating are in force on the gateway when the call returns (this node) or within a second (others).
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    public static final String TOPIC = "keys";
    static final String SECRET_PREFIX = "tg_";
    private static final int MAX_ACTIVE_KEYS = 50;
    private static final int MAX_SCOPED_APIS = 100;

    private final KeyStore store;
    private final ChangeFeed changes;
    private final ApiCatalog catalog;

    ApiKeys(KeyStore store, ChangeFeed changes, ApiCatalog catalog) {
        this.store = store;
        this.changes = changes;
        this.catalog = catalog;
    }

    public ApiKeyView create(UUID ownerId, String name, List<UUID> apiIds, Instant expiresAt) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 100) {
            errors.add(new FieldError("name", "is required, 1 to 100 characters"));
        }
        Set<UUID> scope = apiIds == null ? new LinkedHashSet<>() : new LinkedHashSet<>(apiIds);
        if (scope.contains(null)) {
            errors.add(new FieldError("api_ids", "must not contain null"));
        } else if (scope.size() > MAX_SCOPED_APIS) {
            errors.add(new FieldError("api_ids", "must name at most " + MAX_SCOPED_APIS + " APIs"));
        } else if (!scope.isEmpty()) {
            Set<UUID> unknown = catalog.unknown(scope);
            if (!unknown.isEmpty()) {
                errors.add(new FieldError("api_ids", "no API with id " + unknown.stream().map(UUID::toString)
                        .collect(Collectors.joining(", "))));
            }
        }
        Instant now = Instant.now();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add(new FieldError("expires_at", "must be in the future"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String secret = newSecret();
        return QuarkusTransaction.requiringNew().call(() -> {
            if (store.activeKeysOf(ownerId) >= MAX_ACTIVE_KEYS) {
                throw ProblemException.conflict("You have " + MAX_ACTIVE_KEYS
                        + " active API keys, the most allowed; revoke one first.");
            }
            ApiKeyEntity key = new ApiKeyEntity();
            key.id = UUID.randomUUID();
            key.ownerId = ownerId;
            key.name = name.trim();
            key.prefix = prefixOf(secret);
            key.keyHash = Secrets.sha256Hex(secret);
            key.apiIds = scope.stream().map(UUID::toString).collect(Collectors.joining(","));
            key.createdAt = now;
            key.expiresAt = expiresAt;
            store.persist(key);
            changes.changed(TOPIC);
            LOG.infof("API key %s (%s) created by %s", key.id, key.prefix, ownerId);
            return view(key, secret);
        });
    }

    public List<ApiKeyView> mine(UUID ownerId, boolean includeRevoked) {
        return QuarkusTransaction.requiringNew()
                .call(() -> store.keysOf(ownerId, includeRevoked).stream().map(k -> view(k, null)).toList());
    }

    /** Revokes the key; revoking a revoked key again changes nothing. */
    public void revoke(UUID ownerId, UUID keyId) {
        QuarkusTransaction.requiringNew().run(() -> {
            ApiKeyEntity key = owned(ownerId, keyId);
            if (key.revokedAt == null) {
                key.revokedAt = Instant.now();
                changes.changed(TOPIC);
                LOG.infof("API key %s (%s) revoked by %s", key.id, key.prefix, ownerId);
            }
        });
    }

    /** Gives the key a new secret; the old one stops working. */
    public ApiKeyView rotate(UUID ownerId, UUID keyId) {
        String secret = newSecret();
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiKeyEntity key = owned(ownerId, keyId);
            if (key.revokedAt != null) {
                throw ProblemException.conflict("The key is revoked; create a new one instead.");
            }
            key.prefix = prefixOf(secret);
            key.keyHash = Secrets.sha256Hex(secret);
            key.rotatedAt = Instant.now();
            changes.changed(TOPIC);
            LOG.infof("API key %s rotated by %s; new prefix %s", key.id, ownerId, key.prefix);
            return view(key, secret);
        });
    }

    /** Records when keys were last used (from usage events). */
    public void touch(Map<UUID, Instant> lastUse) {
        QuarkusTransaction.requiringNew().run(() -> lastUse.forEach(store::touch));
    }

    private ApiKeyEntity owned(UUID ownerId, UUID keyId) {
        return store.key(keyId).filter(k -> k.ownerId.equals(ownerId))
                .orElseThrow(() -> ProblemException.notFound("No API key with id " + keyId + "."));
    }

    static String newSecret() {
        return Secrets.generate(SECRET_PREFIX);
    }

    private static String prefixOf(String secret) {
        return secret.substring(0, SECRET_PREFIX.length() + 8);
    }

    private static ApiKeyView view(ApiKeyEntity key, String secret) {
        return new ApiKeyView(key.id, key.name, secret, key.prefix, key.apiIdList(), key.createdAt, key.expiresAt,
                key.lastUsedAt, key.revokedAt, key.rotatedAt);
    }
}
