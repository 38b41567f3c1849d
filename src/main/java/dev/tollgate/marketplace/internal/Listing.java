package dev.tollgate.marketplace.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.tollgate.catalog.PlanView;
import dev.tollgate.models.ModelCatalogue;

/**
 * A listing as the marketplace snapshot holds it: a public, active API its owner published ({@code kind} "api", with
 * its plans) or an enabled AI model ({@code kind} "model", {@code apiId} the model's id, with its entry). Texts are
 * the listing's own or the API's. {@code minPrice} is the lowest price of its plans (per call or per month; 0 with a
 * free plan) or, for a model, its input price per million tokens. {@code endpoints}: the API's imported operations
 * as "METHOD /path summary", searched with the rest.
 */
public record Listing(UUID apiId, String kind, String slug, String title, String description, String category,
        List<String> tags, String about, String logoUrl, UUID providerId, String providerUsername, String version,
        Instant publishedAt, List<PlanView> plans, ModelCatalogue.Entry model, BigDecimal minPrice,
        List<String> pricingTypes, long subscribers, double rating, long reviewCount, boolean featured,
        List<String> endpoints) {

    public static final String API = "api";
    public static final String MODEL = "model";
    public static final String AI_CATEGORY = "ai-models";

    /** What the search index holds of it; when this changes, its document is replaced. */
    String indexed() {
        return String.join("\n", title, String.join(",", tags), category, description,
                String.join("\n", endpoints));
    }
}
