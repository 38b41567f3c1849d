package dev.tollgate.keys.web;

import java.time.Instant;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.keys.ApiKeyView;
import dev.tollgate.keys.ApiKeys;
import io.quarkus.security.Authenticated;

@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "api-keys", description = "Keys for calling APIs through the gateway")
public class ApiKeyResource {

    private final ApiKeys keys;
    private final CurrentUser currentUser;

    ApiKeyResource(ApiKeys keys, CurrentUser currentUser) {
        this.keys = keys;
        this.currentUser = currentUser;
    }

    public record CreateKeyRequest(String name, List<UUID> apiIds, Instant expiresAt) {
    }

    @POST
    @APIResponse(responseCode = "201", description = "The key, with its secret (shown only here)", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "createApiKey", summary = "Create an API key", description = "The answer holds the secret key: it is shown only "
            + "here. api_ids limits the key to those APIs; expires_at (ISO-8601) ends it.")
    public Response create(@NotNull(message = "a JSON body is required") CreateKeyRequest body) {
        ApiKeyView key = keys.create(currentUser.id(), body.name(), body.apiIds(), body.expiresAt());
        return Response.status(201).header("Location", "/api/v1/api-keys/" + key.id()).header("Cache-Control",
                "no-store").entity(key).build();
    }

    @GET
    @Operation(operationId = "listApiKeys", summary = "My API keys", description = "Never with their secrets; include_revoked=true adds revoked "
            + "ones.")
    public List<ApiKeyView> mine(@QueryParam("include_revoked") @DefaultValue("false") boolean includeRevoked) {
        return keys.mine(currentUser.id(), includeRevoked);
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key", description = "The gateway refuses it (401) from then on.")
    public Response revoke(@PathParam("id") UUID id) {
        keys.revoke(currentUser.id(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate")
    @APIResponse(responseCode = "200", description = "The key with its new secret (shown only here)", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "rotateApiKey", summary = "Give an API key a new secret", description = "The old secret stops working at once.")
    public Response rotate(@PathParam("id") UUID id) {
        return Response.ok(keys.rotate(currentUser.id(), id)).header("Cache-Control", "no-store").build();
    }
}
