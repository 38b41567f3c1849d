package dev.tollgate.gateway;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A usable API key as the gateway and the AI proxy see it: only its SHA-256 hash is known.
 * <ul>
 * <li>{@code apiIds} empty means every API its owner subscribes to; {@code expiresAtMillis} 0 means it does not
 * expire.</li>
 * <li>{@code modelNames}: the public AI model names the key may call; empty means every model.</li>
 * <li>{@code modelLimits}: per-minute limits by model name; the entry {@value #ANY_MODEL} is the default for models
 * without their own entry (see {@link #limitFor(String)}).</li>
 * <li>{@code monthlySpendCapMicros}: what the key may spend on AI calls per calendar month (UTC), in micros.
 * {@value #NO_SPEND_CAP} ({@link #NO_SPEND_CAP}) means no cap; 0 is a real cap that allows no spending at all.</li>
 * </ul>
 */
public record ApiKeyRule(UUID id, UUID ownerId, String hashHex, Set<UUID> apiIds, long expiresAtMillis,
        Set<String> modelNames, Map<String, ModelLimit> modelLimits, long monthlySpendCapMicros) {

    /** {@code monthlySpendCapMicros} of a key without a spend cap. */
    public static final long NO_SPEND_CAP = -1;
    /** The {@code modelLimits} key of the limit that applies to models without their own entry. */
    public static final String ANY_MODEL = "*";

    public ApiKeyRule {
        apiIds = Set.copyOf(apiIds);
        modelNames = Set.copyOf(modelNames);
        modelLimits = Map.copyOf(modelLimits);
        if (monthlySpendCapMicros < NO_SPEND_CAP) {
            throw new IllegalArgumentException("monthlySpendCapMicros is -1 (no cap) or 0 or more");
        }
    }

    /** A key without model scopes, model limits or spend cap. */
    public ApiKeyRule(UUID id, UUID ownerId, String hashHex, Set<UUID> apiIds, long expiresAtMillis) {
        this(id, ownerId, hashHex, apiIds, expiresAtMillis, Set.of(), Map.of(), NO_SPEND_CAP);
    }

    public boolean allows(UUID apiId) {
        return apiIds.isEmpty() || apiIds.contains(apiId);
    }

    /** Whether the key may call the model with this public name; never for a null name. */
    public boolean allowsModel(String name) {
        return name != null && (modelNames.isEmpty() || modelNames.contains(name));
    }

    /** The model's own limit, else the {@value #ANY_MODEL} default, else null (no limit). */
    public ModelLimit limitFor(String model) {
        ModelLimit own = model == null ? null : modelLimits.get(model);
        return own != null ? own : modelLimits.get(ANY_MODEL);
    }

    public boolean hasSpendCap() {
        return monthlySpendCapMicros != NO_SPEND_CAP;
    }
}
