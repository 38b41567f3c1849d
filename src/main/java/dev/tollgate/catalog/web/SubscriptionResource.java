package dev.tollgate.catalog.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.SubscriptionView;
import dev.tollgate.catalog.Subscriptions;
import io.quarkus.security.Authenticated;

@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "subscriptions", description = "Consumers' subscriptions to plans of APIs")
public class SubscriptionResource {

    private final Subscriptions subscriptions;
    private final CurrentUser currentUser;

    SubscriptionResource(Subscriptions subscriptions, CurrentUser currentUser) {
        this.subscriptions = subscriptions;
        this.currentUser = currentUser;
    }

    public record SubscribeRequest(@NotNull(message = "is required") UUID apiId,
            @NotNull(message = "is required") UUID planId) {
    }

    public record ChangePlanRequest(@NotNull(message = "is required") UUID planId) {
    }

    @POST
    @APIResponse(responseCode = "201", description = "The subscription", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "402", ref = "PaymentRequired")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "subscribe", summary = "Subscribe to a plan of an API")
    public Response subscribe(@Valid @NotNull(message = "a JSON body is required") SubscribeRequest body) {
        SubscriptionView view = subscriptions.subscribe(currentUser.id(), body.apiId(), body.planId());
        return Response.status(201).header("Location", "/api/v1/subscriptions/" + view.id()).entity(view).build();
    }

    @GET
    @Operation(operationId = "listMySubscriptions", summary = "My subscriptions", description = "Active ones; all=true adds cancelled ones.")
    public List<SubscriptionView> mine(@QueryParam("all") @DefaultValue("false") boolean all) {
        return subscriptions.mine(currentUser.id(), all);
    }

    @PUT
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "402", ref = "PaymentRequired")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "changeSubscriptionPlan", summary = "Move a subscription to another plan of the same API")
    public SubscriptionView changePlan(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") ChangePlanRequest body) {
        return subscriptions.changePlan(currentUser.id(), id, body.planId());
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Cancelled")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "cancelSubscription", summary = "Cancel a subscription", description = "Gateway calls are refused (403) from then on.")
    public Response cancel(@PathParam("id") UUID id) {
        subscriptions.cancel(currentUser.id(), id);
        return Response.noContent().build();
    }
}
