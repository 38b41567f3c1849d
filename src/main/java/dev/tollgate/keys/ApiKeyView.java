package dev.tollgate.keys;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API key as shown over the API. {@code key} (the secret) is present only in the answer that creates or rotates
 * it; it is never stored and never shown again. {@code modelIds} empty means every AI model; {@code modelLimits} maps
 * a model name or {@code "*"} (the default) to per-minute limits; {@code monthlySpendCap} (currency units) is null
 * when the key has no cap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(UUID id, String name, String key, String prefix, List<UUID> apiIds, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Instant rotatedAt, List<String> modelIds,
        Map<String, KeyModelLimit> modelLimits, @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal monthlySpendCap) {
}
