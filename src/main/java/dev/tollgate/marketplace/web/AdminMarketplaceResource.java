package dev.tollgate.marketplace.web;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.marketplace.ListingView;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.marketplace.Reviews;

@Path("/api/v1/admin/marketplace")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin")
public class AdminMarketplaceResource {

    private final Marketplace marketplace;
    private final Reviews reviews;

    AdminMarketplaceResource(Marketplace marketplace, Reviews reviews) {
        this.marketplace = marketplace;
        this.reviews = reviews;
    }

    @POST
    @Path("/{listing}/feature")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "featureListing", summary = "Feature a listing", description = "By its id or slug; "
            + "featured listings come first when browsing without a search and are recommended to everyone.")
    public ListingView feature(@PathParam("listing") String listing) {
        return marketplace.setFeatured(listing, true);
    }

    @POST
    @Path("/{listing}/unfeature")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "unfeatureListing", summary = "Stop featuring a listing")
    public ListingView unfeature(@PathParam("listing") String listing) {
        return marketplace.setFeatured(listing, false);
    }

    @POST
    @Path("/reviews/{id}/hide")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "hideReview", summary = "Hide a review", description = "From everyone but admins; it no longer counts toward the rating.")
    public Reviews.ReviewView hide(@PathParam("id") UUID id) {
        return reviews.setHidden(id, true);
    }

    @POST
    @Path("/reviews/{id}/unhide")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "unhideReview", summary = "Show a hidden review again")
    public Reviews.ReviewView unhide(@PathParam("id") UUID id) {
        return reviews.setHidden(id, false);
    }
}
