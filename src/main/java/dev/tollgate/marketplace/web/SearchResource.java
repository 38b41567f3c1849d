package dev.tollgate.marketplace.web;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.marketplace.Recommendations;
import dev.tollgate.marketplace.SiteSearch;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "marketplace")
public class SearchResource {

    private final SiteSearch search;
    private final Recommendations recommendations;
    private final CurrentUser currentUser;

    SearchResource(SiteSearch search, Recommendations recommendations, CurrentUser currentUser) {
        this.search = search;
        this.recommendations = recommendations;
        this.currentUser = currentUser;
    }

    @GET
    @Path("/search")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "search", summary = "Search listings and my own APIs, keys and subscriptions", description = "Listings for "
            + "anyone; signed in, also the caller's own APIs, API keys and subscriptions (type narrows it to one; "
            + "api, key and subscription need a login). The same word matching as the marketplace's search; items "
            + "best first, each with its score.")
    public SiteSearch.Results search(@QueryParam("q") String q, @QueryParam("type") String type,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, defaultValue = "20")) @QueryParam("limit") String limit) {
        return search.search(currentUser.signedIn() ? currentUser.id() : null, q, type,
                QueryValues.integer("limit", limit, 20));
    }

    @GET
    @Path("/recommendations")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "recommendations", summary = "Listings I may want next", description = "Signed in: from the "
            + "providers of what the caller subscribes to, saved or called in 30 days, then popular ones in those "
            + "categories, then featured and popular ones, never what they subscribe to, saved or offer; each with "
            + "its reason. Anonymous: featured, then popular.")
    public List<Recommendations.Recommendation> recommend(
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, defaultValue = "10")) @QueryParam("limit") String limit) {
        return recommendations.recommend(currentUser.signedIn() ? currentUser.id() : null,
                QueryValues.integer("limit", limit, 10));
    }
}
