package dev.tollgate.marketplace.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.catalog.Actor;
import dev.tollgate.marketplace.ListingDetail;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.marketplace.Reviews;
import dev.tollgate.marketplace.SavedApis;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/marketplace")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "marketplace", description = "Listings of public APIs and AI models: browse, search, review, save")
public class MarketplaceResource {

    private final Marketplace marketplace;
    private final Reviews reviews;
    private final SavedApis saved;
    private final CurrentUser currentUser;

    MarketplaceResource(Marketplace marketplace, Reviews reviews, SavedApis saved, CurrentUser currentUser) {
        this.marketplace = marketplace;
        this.reviews = reviews;
        this.saved = saved;
        this.currentUser = currentUser;
    }

    public record PublishRequest(UUID apiId, String title, String description, String category, List<String> tags,
            String about, String logoUrl) {
    }

    /** {@code rating} is read as a number and checked to be whole (4.5 is refused, not truncated to 4). */
    public record ReviewRequest(UUID apiId,
            @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "5") BigDecimal rating,
            String comment) {
    }

    public record ReplyRequest(String reply) {
    }

    public record SaveRequest(UUID apiId) {
    }

    // --- listings ---------------------------------------------------------------------------------------------------

    @GET
    @Path("/listings")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "browseListings", summary = "Browse and search the marketplace", description = "No "
            + "login needed. q searches title (weighted most), tags and category, then description: every word, "
            + "matched exactly, as a prefix or with one typo (if no listing has every word, any word). Filters: "
            + "category, tags (comma-separated or repeated; all must be present), pricing (free, pay_per_call, "
            + "subscription, per_token), max_price (compared with min_price). sort: relevance (the default: the best "
            + "match with q, else featured then popular), popular, rating, newest, price. total counts every match.")
    public Marketplace.Page listings(@QueryParam("q") String q, @QueryParam("category") String category,
            @Parameter(description = "Comma-separated or repeated") @QueryParam("tags") List<String> tags,
            @QueryParam("pricing") String pricing,
            @Parameter(schema = @Schema(type = SchemaType.NUMBER)) @QueryParam("max_price") String maxPrice,
            @QueryParam("sort") String sort,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, defaultValue = "0")) @QueryParam("skip") String skip,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, defaultValue = "20")) @QueryParam("limit") String limit) {
        List<String> wanted = new ArrayList<>();
        if (tags != null) {
            tags.forEach(t -> Arrays.stream(t.split(",")).filter(s -> !s.isBlank()).forEach(wanted::add));
        }
        return marketplace.browse(new Marketplace.Browse(q, category, wanted, pricing,
                QueryValues.decimal("max_price", maxPrice), sort, QueryValues.integer("skip", skip, 0),
                QueryValues.integer("limit", limit, 20)));
    }

    @GET
    @Path("/listings/{slug}")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getListing", summary = "One listing", description = "No login needed. Adds the plans with "
            + "prices and limits (APIs) or the model's prices (AI models), where to call it and example requests.")
    public ListingDetail listing(@PathParam("slug") String slug, @Context UriInfo uri) {
        return marketplace.detail(slug, origin(uri));
    }

    @GET
    @Path("/categories")
    @PermitAll
    @SecurityRequirements
    @Operation(operationId = "listCategories", summary = "Categories with their number of listings", description = "No login needed; largest first.")
    public List<Marketplace.CategoryCount> categories() {
        return marketplace.categories();
    }

    @POST
    @Path("/publish")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "201", description = "Listed", content = @Content(schema = @Schema(implementation = ListingDetail.class)))
    @APIResponse(responseCode = "200", description = "The listing changed", content = @Content(schema = @Schema(implementation = ListingDetail.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "publishListing", summary = "List an API on the marketplace (or change its listing)", description = "The API's "
            + "owner or an admin. The API must be public and active. title, description, category and tags left out "
            + "are the API's own and follow it when it is edited; category is required when the API has none. Plans, "
            + "prices and status always follow the API.")
    public Response publish(@NotNull(message = "a JSON body is required") PublishRequest body, @Context UriInfo uri) {
        Marketplace.Published published = marketplace.publish(actor(), new Marketplace.Publish(body.apiId(),
                body.title(), body.description(), body.category(), body.tags(), body.about(), body.logoUrl()),
                origin(uri));
        return Response.status(published.created() ? 201 : 200).entity(published.listing()).build();
    }

    @DELETE
    @Path("/publish/{apiId}")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "204", description = "No longer listed")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "unpublishListing", summary = "Take an API off the marketplace", description = "Its reviews are kept for when it is listed again.")
    public Response unpublish(@PathParam("apiId") UUID apiId) {
        marketplace.unpublish(actor(), apiId);
        return Response.noContent().build();
    }

    // --- reviews ----------------------------------------------------------------------------------------------------

    @POST
    @Path("/reviews")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "201", description = "Reviewed", content = @Content(schema = @Schema(implementation = Reviews.ReviewView.class)))
    @APIResponse(responseCode = "200", description = "The review changed", content = @Content(schema = @Schema(implementation = Reviews.ReviewView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "reviewListing", summary = "Review a listed API or AI model", description = "Only after at "
            + "least one successful call to it (403 before); one review per consumer and API, posting again changes "
            + "it. rating 1 to 5; comment up to 4000 characters.")
    public Response review(@NotNull(message = "a JSON body is required") ReviewRequest body) {
        Integer rating = body.rating() == null || body.rating().stripTrailingZeros().scale() > 0
                || body.rating().abs().compareTo(BigDecimal.TEN) > 0 ? null : body.rating().intValue();
        if (body.rating() != null && rating == null) {
            throw ProblemException.invalid("rating", "must be a whole number from 1 to 5");
        }
        Reviews.Written written = reviews.write(currentUser.id(), body.apiId(), rating, body.comment());
        return Response.status(written.created() ? 201 : 200).entity(written.review()).build();
    }

    @GET
    @Path("/reviews")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listReviews", summary = "Reviews of a listed API or AI model", description = "No login "
            + "needed. sort: newest (default) or rating. Hidden reviews are left out (admins see them, marked).")
    public Reviews.Page reviews(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @QueryParam("api_id") String apiId,
            @QueryParam("sort") String sort,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, defaultValue = "0")) @QueryParam("skip") String skip,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, defaultValue = "20")) @QueryParam("limit") String limit) {
        boolean admin = currentUser.signedIn() && currentUser.has(Role.ADMIN);
        return reviews.list(QueryValues.uuid("api_id", apiId), sort, QueryValues.integer("skip", skip, 0),
                QueryValues.integer("limit", limit, 20), admin);
    }

    @POST
    @Path("/reviews/{id}/reply")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "replyToReview", summary = "Reply to a review of my API", description = "The API's provider, once per review.")
    public Reviews.ReviewView reply(@PathParam("id") UUID id,
            @NotNull(message = "a JSON body is required") ReplyRequest body) {
        return reviews.reply(actor(), id, body.reply());
    }

    // --- saved ------------------------------------------------------------------------------------------------------

    @POST
    @Path("/save")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "201", description = "Saved")
    @APIResponse(responseCode = "200", description = "Saved before")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "saveListing", summary = "Save a listed API or AI model for later")
    public Response save(@NotNull(message = "a JSON body is required") SaveRequest body) {
        boolean created = saved.save(currentUser.id(), body.apiId());
        return Response.status(created ? 201 : 200).entity(new SaveRequest(body.apiId())).build();
    }

    @DELETE
    @Path("/save/{apiId}")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "204", description = "No longer saved")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "unsaveListing", summary = "Forget a saved API")
    public Response unsave(@PathParam("apiId") UUID apiId) {
        saved.unsave(currentUser.id(), apiId);
        return Response.noContent().build();
    }

    @GET
    @Path("/saved")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @Operation(operationId = "listSavedListings", summary = "My saved APIs", description = "Newest first; those no longer listed are left out.")
    public List<SavedApis.Saved> savedList() {
        return saved.list(currentUser.id());
    }

    private Actor actor() {
        return new Actor(currentUser.id(), currentUser.has(Role.ADMIN));
    }

    /** Scheme, host and port the caller reached us at (forwarded headers count where enabled). */
    static String origin(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
