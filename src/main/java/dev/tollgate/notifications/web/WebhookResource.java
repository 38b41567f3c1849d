package dev.tollgate.notifications.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.notifications.Webhooks;
import dev.tollgate.notifications.Webhooks.CreatedWebhook;
import dev.tollgate.notifications.Webhooks.DeliveryView;
import dev.tollgate.notifications.Webhooks.WebhookView;
import io.quarkus.security.Authenticated;

/** {@code /api/v1/webhooks}: the signed-in user's webhook endpoints and their deliveries. */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "notifications", description = "In-app notifications and feedback")
public class WebhookResource {

    private final Webhooks webhooks;
    private final CurrentUser currentUser;

    WebhookResource(Webhooks webhooks, CurrentUser currentUser) {
        this.webhooks = webhooks;
        this.currentUser = currentUser;
    }

    /** {@code events}: event types, or {@code ["*"]} (the default) for all. */
    public record WebhookRequest(String url, List<String> events, String description) {
    }

    @POST
    @APIResponse(responseCode = "201", description = "The endpoint, with its signing secret shown this once")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "createWebhook", summary = "Add a webhook endpoint", description = "The URL must be "
            + "http(s) on a public address. Deliveries are signed: Tollgate-Signature: t=<unix time>,v1=<hex "
            + "HMAC-SHA256 of \"<t>.<body>\" with the secret>.")
    public Response create(@NotNull(message = "a JSON body is required") WebhookRequest body) {
        CreatedWebhook created = webhooks.create(currentUser.id(), body.url(), body.events(), body.description());
        return Response.status(201).entity(created).build();
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "My webhook endpoints")
    public List<WebhookView> list() {
        return webhooks.list(currentUser.id());
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getWebhook", summary = "One of my webhook endpoints")
    public WebhookView get(@PathParam("id") UUID id) {
        return webhooks.get(currentUser.id(), id);
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook endpoint", description = "Its pending "
            + "deliveries are given up.")
    public Response delete(@PathParam("id") UUID id) {
        webhooks.delete(currentUser.id(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "enableWebhook", summary = "Enable a disabled webhook endpoint", description = "Its "
            + "pending deliveries resume, oldest first.")
    public WebhookView enable(@PathParam("id") UUID id) {
        return webhooks.enable(currentUser.id(), id);
    }

    @GET
    @Path("/{id}/deliveries")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "webhookDeliveries", summary = "An endpoint's deliveries, newest first", description = "Each with its attempts: time, HTTP status, latency and the start of the response. status: pending, "
            + "delivered or failed; limit 1 to 200 (default 50).")
    public List<DeliveryView> deliveries(@PathParam("id") UUID id, @QueryParam("status") String status,
            @QueryParam("skip") @DefaultValue("0") int skip, @QueryParam("limit") @DefaultValue("50") int limit) {
        return webhooks.deliveries(currentUser.id(), id, status, skip, limit);
    }

    @POST
    @Path("/{id}/deliveries/{delivery_id}/redeliver")
    @APIResponse(responseCode = "202", description = "The new delivery, queued")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "redeliverWebhook", summary = "Send a delivery's event again", description = "As a new "
            + "delivery at the end of the endpoint's queue, with the same event id.")
    public Response redeliver(@PathParam("id") UUID id, @PathParam("delivery_id") UUID deliveryId) {
        return Response.accepted(webhooks.redeliver(currentUser.id(), id, deliveryId)).build();
    }
}
