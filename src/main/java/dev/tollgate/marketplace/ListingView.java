package dev.tollgate.marketplace;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A listing in the marketplace's results. {@code id} is the listing's id, the same as {@code api_id} (for an AI model:
 * the model's id); {@code kind} is {@code api} or {@code model}. {@code rating} is the mean of the shown reviews
 * (null without any). {@code calls_30d}, {@code uptime_30d} (the share of calls not answered with a 5xx) and
 * {@code p50_latency_ms} are from the usage of the last 30 days, refreshed every minute (null without calls).
 * {@code min_price} is the lowest price of its plans (per call or per month; 0 with a free plan) or, for a model, its
 * input price per million tokens. {@code highlights} (searches only) holds the matched words of title, tags and
 * description in {@code <mark>}, HTML-escaped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListingView(UUID id, UUID apiId, String kind, String slug, String title, String description,
        String category, List<String> tags, Provider provider,
        @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal rating, long reviewCount, long subscriberCount,
        @JsonProperty("calls_30d") long calls30d,
        @JsonProperty("uptime_30d") @JsonInclude(JsonInclude.Include.ALWAYS) Double uptime30d,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long p50LatencyMs, BigDecimal minPrice, List<String> pricingTypes,
        boolean featured, Instant publishedAt, Double score, Map<String, String> highlights) {

    /** Who offers it: the API's owner, or for AI models the platform (no id). */
    public record Provider(UUID id, String username) {
    }
}
