package dev.tollgate.models.web;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.models.AiModels;
import dev.tollgate.models.AiModels.ModelDraft;
import dev.tollgate.models.ModelChannels;
import dev.tollgate.models.ModelChannels.ChannelHealthView;
import dev.tollgate.models.ModelChannels.TestDraft;
import dev.tollgate.models.ModelChannels.TestResults;
import dev.tollgate.models.ModelView;
import io.smallrye.common.annotation.Blocking;

@Path("/api/v1/admin/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin", description = "Administration")
public class AdminModelResource {

    private static final String BODY = "Channel api_key is write-only: stored encrypted (AES-256-GCM) and never "
            + "returned; views show api_key_set. Prices are currency units per million tokens (up to 6 decimals). "
            + "base_url must be public unless TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true.";

    private final AiModels models;
    private final ModelChannels channels;
    private final CurrentUser currentUser;

    AdminModelResource(AiModels models, ModelChannels channels, CurrentUser currentUser) {
        this.models = models;
        this.channels = channels;
        this.currentUser = currentUser;
    }

    @POST
    @APIResponse(responseCode = "201", description = "The model", content = @Content(schema = @Schema(implementation = ModelView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "createModel", summary = "Offer an AI model through /v1", description = "An enabled "
            + "model needs at least one channel; it is listed by GET /v1/models when the call returns. " + BODY)
    public Response create(@NotNull(message = "a JSON body is required") ModelDraft body) {
        ModelView model = models.create(currentUser.id(), body);
        return Response.status(201).header("Location", "/api/v1/admin/models/" + model.id()).entity(model).build();
    }

    @GET
    @APIResponse(responseCode = "200", description = "The models by name; the total is in X-Total-Count", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ModelView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listModels", summary = "List AI models", description = "Enabled and disabled, by name.")
    public Response list(
            @QueryParam("skip") @DefaultValue("0") @Min(value = 0, message = "must be 0 or more") int skip,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be 1 to 1000") @Max(value = 1000, message = "must be 1 to 1000") int limit) {
        AiModels.Page page = models.list(skip, limit);
        return Response.ok(page.models()).header("X-Total-Count", page.total()).build();
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getModel", summary = "One AI model with its channels (without their keys)")
    public ModelView get(@PathParam("id") UUID id) {
        return models.get(id);
    }

    @PUT
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "updateModel", summary = "Change an AI model", description = "Fields left out stay as "
            + "they are; pricing is replaced whole; channels, when given, replace the model's channels. A channel "
            + "that gives its existing id without api_key keeps its stored key. " + BODY)
    public ModelView update(@PathParam("id") UUID id, @NotNull(message = "a JSON body is required") ModelDraft body) {
        return models.update(currentUser.id(), id, body);
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "deleteModel", summary = "Delete an AI model with its channels", description = "It is "
            + "gone from /v1 when the call returns.")
    public Response delete(@PathParam("id") UUID id) {
        models.delete(currentUser.id(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/channels/health")
    @APIResponse(responseCode = "200", description = "Each channel in the order the proxy tries them", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ChannelHealthView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getModelChannelHealth", summary = "The health of a model's channels on this node", description = "Per channel: its circuit breaker's state (closed, open, half_open), failures in a row, "
            + "the last failure, the latency of the last answered call and the calls and failures counted "
            + "since this node started. Circuit breakers are per node: behind a load balancer each node "
            + "answers with its own view. Never shows a channel's key.")
    public List<ChannelHealthView> health(@PathParam("id") UUID id) {
        return channels.health(id);
    }

    @POST
    @Path("/{id}/test")
    @Blocking
    @APIResponse(responseCode = "200", description = "One result per channel tested, in the order the proxy tries them; "
            + "ok is false for a channel that failed", content = @Content(schema = @Schema(implementation = TestResults.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "testModel", summary = "Send a tiny real call to a model's channels", description = "To "
            + "each channel (or the one named by channel_id), in its own protocol, with the prompt (default \"Reply "
            + "with OK.\") and at most 16 output tokens; an embedding model gets one embedding. Billed to no one. "
            + "Each outcome counts in the channel's circuit breaker on this node, so a successful test closes an "
            + "open circuit. The body is optional.")
    public CompletionStage<TestResults> test(@PathParam("id") UUID id, TestDraft body) {
        return channels.test(currentUser.id(), id, body);
    }
}
