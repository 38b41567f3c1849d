package dev.tollgate.gateway;

import java.util.Set;
import java.util.UUID;

/**
 * A usable API key as the gateway sees it: only its SHA-256 hash is known. {@code apiIds} empty means every API its
 * owner subscribes to; {@code expiresAtMillis} 0 means it does not expire.
 */
public record ApiKeyRule(UUID id, UUID ownerId, String hashHex, Set<UUID> apiIds, long expiresAtMillis) {

    public ApiKeyRule {
        apiIds = Set.copyOf(apiIds);
    }

    public boolean allows(UUID apiId) {
        return apiIds.isEmpty() || apiIds.contains(apiId);
    }
}
