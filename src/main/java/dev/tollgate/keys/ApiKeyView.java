package dev.tollgate.keys;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API key as shown over the API. {@code key} (the secret) is present only in the answer that creates or rotates
 * it; it is never stored and never shown again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(UUID id, String name, String key, String prefix, List<UUID> apiIds, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Instant rotatedAt) {
}
