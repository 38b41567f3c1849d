package dev.tollgate.keys.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "api_keys")
public class ApiKeyEntity {

    @Id
    public UUID id;

    @Column(name = "owner_id", nullable = false)
    public UUID ownerId;

    @Column(nullable = false)
    public String name;

    /** The first characters of the secret, shown to tell keys apart. */
    @Column(nullable = false)
    public String prefix;

    /** Hex SHA-256 of the secret; the secret itself is never stored. */
    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    /** Comma-separated API ids the key is limited to; empty for all. */
    @Column(name = "api_ids", nullable = false)
    public String apiIds;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    public List<UUID> apiIdList() {
        return apiIds.isEmpty() ? List.of() : Arrays.stream(apiIds.split(",")).map(UUID::fromString).toList();
    }
}
