package dev.tollgate.keys;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.keys.store.ApiKeyEntity;
import dev.tollgate.keys.store.KeyStore;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Consumers' API keys: {@code tg_} followed by 256 random bits, shown once and stored only as a SHA-256 hash. Creating,
 * changing, revoking and rotating are in force on the gateway and the AI proxy when the call returns (this node) or
 * within a second (others).
 * <p>
 * A key's AI settings (model scope, per-model limits, monthly spend cap) are stored and published here; the AI proxy
 * enforces them. Model names are not checked against the model catalogue, so a key can be scoped to a model before
 * the model exists.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    public static final String TOPIC = "keys";
    /** How every consumer key begins. */
    public static final String SECRET_PREFIX = "tg_";
    private static final int MAX_ACTIVE_KEYS = 50;
    private static final int MAX_SCOPED_APIS = 100;
    private static final int MAX_SCOPED_MODELS = 100;
    private static final int MAX_MODEL_LIMITS = 100;
    private static final long MAX_REQUESTS_PER_MINUTE = 1_000_000_000L;
    private static final long MAX_TOKENS_PER_MINUTE = 1_000_000_000_000L;
    /** The characters of a public model name (the same rule as the model catalogue's). */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,100}");
    private static final String MODEL_NAME_RULE = "must be a model name: 1 to 100 of A-Z, a-z, 0-9 and . _ : / -";
    /** The {@code model_limits} entry that applies to models without their own entry. */
    public static final String ANY_MODEL = ApiKeyRule.ANY_MODEL;

    /**
     * A key's AI settings as sent: the model names it may call (null or empty: every model), per-minute limits by
     * model name or {@code "*"} (null: none) and the monthly spend cap in currency units (null: no cap).
     */
    public record AiSettings(List<String> modelIds, Map<String, KeyModelLimit> modelLimits,
            BigDecimal monthlySpendCap) {

        public static final AiSettings NONE = new AiSettings(null, null, null);
    }

    /**
     * Changes to a key. Only the fields whose wire names ({@code name}, {@code api_ids}, {@code model_ids},
     * {@code model_limits}, {@code monthly_spend_cap}) are in {@code given} change; the others stay. A given null
     * clears the field (no API or model scope, no limits, no cap), except {@code name}, which is required.
     */
    public record KeyChanges(Set<String> given, String name, List<UUID> apiIds, List<String> modelIds,
            Map<String, KeyModelLimit> modelLimits, BigDecimal monthlySpendCap) {

        public KeyChanges {
            given = Set.copyOf(given);
        }
    }

    private final KeyStore store;
    private final ChangeFeed changes;
    private final ApiCatalog catalog;

    ApiKeys(KeyStore store, ChangeFeed changes, ApiCatalog catalog) {
        this.store = store;
        this.changes = changes;
        this.catalog = catalog;
    }

    public ApiKeyView create(UUID ownerId, String name, List<UUID> apiIds, Instant expiresAt, AiSettings ai) {
        List<FieldError> errors = new ArrayList<>();
        checkName(errors, name);
        Set<UUID> scope = apiScope(errors, apiIds);
        List<String> models = modelScope(errors, ai.modelIds());
        Map<String, KeyModelLimit> limits = modelLimits(errors, ai.modelLimits());
        Long spendCap = spendCap(errors, ai.monthlySpendCap());
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
            key.apiIds = joined(scope);
            key.modelIdList(models);
            key.modelLimitMap(limits);
            key.monthlySpendCap = spendCap;
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

    /**
     * Changes the fields named in {@code edit.given()} and leaves the others; 404 for a key the owner does not
     * have, 409 for a revoked key, 422 naming each bad field (and nothing changes).
     */
    public ApiKeyView change(UUID ownerId, UUID keyId, KeyChanges edit) {
        Set<String> given = edit.given();
        List<FieldError> errors = new ArrayList<>();
        if (given.contains("name")) {
            checkName(errors, edit.name());
        }
        Set<UUID> scope = given.contains("api_ids") ? apiScope(errors, edit.apiIds()) : null;
        List<String> models = given.contains("model_ids") ? modelScope(errors, edit.modelIds()) : null;
        Map<String, KeyModelLimit> limits = given.contains("model_limits")
                ? modelLimits(errors, edit.modelLimits())
                : null;
        Long spendCap = given.contains("monthly_spend_cap") ? spendCap(errors, edit.monthlySpendCap()) : null;
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiKeyEntity key = owned(ownerId, keyId);
            if (key.revokedAt != null) {
                throw ProblemException.conflict("The key is revoked; create a new one instead.");
            }
            if (given.contains("name")) {
                key.name = edit.name().trim();
            }
            if (scope != null) {
                key.apiIds = joined(scope);
            }
            if (models != null) {
                key.modelIdList(models);
            }
            if (limits != null) {
                key.modelLimitMap(limits);
            }
            if (given.contains("monthly_spend_cap")) {
                key.monthlySpendCap = spendCap;
            }
            if (!given.isEmpty()) {
                changes.changed(TOPIC);
                LOG.infof("API key %s (%s) changed by %s: %s", key.id, key.prefix, ownerId,
                        given.stream().sorted().collect(Collectors.joining(", ")));
            }
            return view(key, null);
        });
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

    private static void checkName(List<FieldError> errors, String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            errors.add(new FieldError("name", "is required, 1 to 100 characters"));
        }
    }

    /** The APIs a key is limited to (empty: all), in the order given, without repeats. */
    private Set<UUID> apiScope(List<FieldError> errors, List<UUID> apiIds) {
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
        return scope;
    }

    /** The model names a key is limited to (empty: all), in the order given, without repeats. */
    private static List<String> modelScope(List<FieldError> errors, List<String> modelIds) {
        if (modelIds == null) {
            return List.of();
        }
        Set<String> scope = new LinkedHashSet<>();
        for (int i = 0; i < modelIds.size(); i++) {
            String name = modelIds.get(i);
            if (name == null || !MODEL_NAME.matcher(name).matches()) {
                errors.add(new FieldError("model_ids[" + i + "]", MODEL_NAME_RULE));
            } else {
                scope.add(name);
            }
        }
        if (scope.size() > MAX_SCOPED_MODELS) {
            errors.add(new FieldError("model_ids", "must name at most " + MAX_SCOPED_MODELS + " models"));
        }
        return List.copyOf(scope);
    }

    /** Per-minute limits by model name or {@code "*"}, in the order given. */
    private static Map<String, KeyModelLimit> modelLimits(List<FieldError> errors,
            Map<String, KeyModelLimit> limits) {
        if (limits == null) {
            return Map.of();
        }
        if (limits.size() > MAX_MODEL_LIMITS) {
            errors.add(new FieldError("model_limits", "must have at most " + MAX_MODEL_LIMITS + " entries"));
            return Map.of();
        }
        Map<String, KeyModelLimit> valid = new LinkedHashMap<>();
        limits.forEach((model, limit) -> {
            if (!model.equals(ANY_MODEL) && !MODEL_NAME.matcher(model).matches()) {
                errors.add(new FieldError("model_limits", "each key must be \"*\" (every model) or a model name: 1 "
                        + "to 100 of A-Z, a-z, 0-9 and . _ : / -"));
                return;
            }
            String field = "model_limits." + model;
            if (limit == null) {
                errors.add(new FieldError(field, "must be an object such as {\"requests_per_minute\": 60}"));
                return;
            }
            checkLimit(errors, field + ".requests_per_minute", limit.requestsPerMinute(), MAX_REQUESTS_PER_MINUTE);
            checkLimit(errors, field + ".tokens_per_minute", limit.tokensPerMinute(), MAX_TOKENS_PER_MINUTE);
            valid.put(model, limit);
        });
        return valid;
    }

    private static void checkLimit(List<FieldError> errors, String field, Long value, long max) {
        if (value != null && (value < 1 || value > max)) {
            errors.add(new FieldError(field, "must be 1 to " + max + " (leave it out for no limit)"));
        }
    }

    /** The cap in micros, or null for none. */
    private static Long spendCap(List<FieldError> errors, BigDecimal cap) {
        if (cap == null) {
            return null;
        }
        try {
            return Money.toMicros(cap);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("monthly_spend_cap", e.getMessage() + " (leave it out for no cap)"));
            return null;
        }
    }

    private static String joined(Set<UUID> apiIds) {
        return apiIds.stream().map(UUID::toString).collect(Collectors.joining(","));
    }

    private static ApiKeyView view(ApiKeyEntity key, String secret) {
        return new ApiKeyView(key.id, key.name, secret, key.prefix, key.apiIdList(), key.createdAt, key.expiresAt,
                key.lastUsedAt, key.revokedAt, key.rotatedAt, key.modelIdList(), key.modelLimitMap(),
                key.monthlySpendCap == null ? null : Money.fromMicros(key.monthlySpendCap));
    }
}
