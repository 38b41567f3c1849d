package dev.tollgate.marketplace;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.tollgate.catalog.EndpointView;
import dev.tollgate.catalog.PlanView;
import dev.tollgate.models.ModelCatalogue;

/**
 * One listing's page: the listing, its longer description ({@code about}, markdown), logo, the API's plans with
 * prices and limits and its endpoints as imported from its OpenAPI document (APIs) or the model's prices and limits
 * (models), where to call it ({@code gateway_url}: the
 * gateway for APIs, the OpenAI-compatible base URL for models) and example requests to copy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListingDetail(@JsonUnwrapped ListingView listing, String about, String logoUrl, String version,
        List<PlanView> plans, ModelCatalogue.Entry model, List<EndpointView> endpoints, String gatewayUrl,
        List<Example> examples) {

    /** A request to copy: what it shows, its language ({@code curl}, {@code python}, …) and code. */
    public record Example(String title, String language, String code) {
    }
}
