package dev.tollgate.models;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An AI model as admins see it; {@code model_type} is {@code chat} or {@code embedding}. Prices are in currency units per million tokens. A channel's upstream key is never
 * shown: {@code api_key_set} says whether one is stored.
 */
public record ModelView(UUID id, String name, String displayName, boolean enabled, String modelType, Pricing pricing,
        @JsonInclude(JsonInclude.Include.ALWAYS) Integer maxOutputTokens, List<Channel> channels, Instant createdAt,
        Instant updatedAt) {

    /** Prices per million tokens; {@code cached_input_per_million} null means cached input costs as input. */
    public record Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
            @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal cachedInputPerMillion) {
    }

    /** A channel without its key. */
    public record Channel(UUID id, String provider, String baseUrl, boolean apiKeySet, String upstreamModel,
            int priority, int weight) {
    }
}
