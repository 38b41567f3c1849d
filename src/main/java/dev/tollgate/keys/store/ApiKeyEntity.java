package dev.tollgate.keys.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import dev.tollgate.keys.KeyModelLimit;

@Entity
@Table(name = "api_keys")
public class ApiKeyEntity {

    /** Writes and reads {@link #modelLimits}: the same JSON shape as the API's {@code model_limits}. */
    private static final ObjectMapper LIMITS_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<LinkedHashMap<String, KeyModelLimit>> LIMITS_TYPE = new TypeReference<>() {
    };

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

    /** Comma-separated public AI model names the key may call; empty for every model. */
    @Column(name = "model_ids", nullable = false)
    public String modelIds = "";

    /** JSON object: model name or "*" (the default) to its per-minute limits; see {@link #modelLimitMap()}. */
    @Column(name = "model_limits", nullable = false)
    public String modelLimits = "{}";

    /** Micros the key may spend on AI calls per calendar month (UTC); null for no cap. */
    @Column(name = "monthly_spend_cap")
    public Long monthlySpendCap;

    public List<UUID> apiIdList() {
        return apiIds.isEmpty() ? List.of() : Arrays.stream(apiIds.split(",")).map(UUID::fromString).toList();
    }

    public List<String> modelIdList() {
        return modelIds.isEmpty() ? List.of() : List.of(modelIds.split(","));
    }

    public void modelIdList(List<String> names) {
        modelIds = String.join(",", names);
    }

    /** The model limits in the order they were given. */
    public Map<String, KeyModelLimit> modelLimitMap() {
        try {
            return LIMITS_JSON.readValue(modelLimits, LIMITS_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("API key " + id + " has unreadable model_limits", e);
        }
    }

    public void modelLimitMap(Map<String, KeyModelLimit> limits) {
        try {
            modelLimits = LIMITS_JSON.writeValueAsString(limits);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model limits cannot be written as JSON", e);
        }
    }
}
