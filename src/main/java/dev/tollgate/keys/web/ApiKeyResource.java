package dev.tollgate.keys.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.keys.ApiKeyView;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.keys.ApiKeys.AiSettings;
import dev.tollgate.keys.ApiKeys.KeyChanges;
import dev.tollgate.keys.KeyModelLimit;
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

    public record CreateKeyRequest(String name, List<UUID> apiIds, Instant expiresAt,
            @Schema(description = "Public AI model names the key may call; empty or left out: every model. Not "
                    + "checked against the model catalogue.") List<String> modelIds,
            @Schema(description = "Per-minute limits by model name, or \"*\" for models without their own entry") Map<String, KeyModelLimit> modelLimits,
            @Schema(description = "What the key may spend on AI calls per calendar month (UTC), in currency units; "
                    + "left out: no cap") BigDecimal monthlySpendCap) {
    }

    /**
     * A PATCH body: the fields sent change, the fields left out stay; {@code null} clears a field (except
     * {@code name}). Jackson calls a setter for each field present in the JSON, also for an explicit null, so the
     * setters record which fields were sent.
     */
    @Schema(name = "UpdateKeyRequest", description = "The fields sent change; the fields left out stay. null clears "
            + "api_ids, model_ids, model_limits or monthly_spend_cap.")
    public static final class UpdateKeyRequest {

        @JsonIgnore
        private final Set<String> given = new HashSet<>();
        private String name;
        private List<UUID> apiIds;
        @Schema(description = "Public AI model names the key may call; empty or null: every model")
        private List<String> modelIds;
        @Schema(description = "Per-minute limits by model name, or \"*\" for models without their own entry; "
                + "replaces the key's limits")
        private Map<String, KeyModelLimit> modelLimits;
        @Schema(description = "What the key may spend on AI calls per calendar month (UTC), in currency units; "
                + "null: no cap")
        private BigDecimal monthlySpendCap;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
            given.add("name");
        }

        public List<UUID> getApiIds() {
            return apiIds;
        }

        public void setApiIds(List<UUID> apiIds) {
            this.apiIds = apiIds;
            given.add("api_ids");
        }

        public List<String> getModelIds() {
            return modelIds;
        }

        public void setModelIds(List<String> modelIds) {
            this.modelIds = modelIds;
            given.add("model_ids");
        }

        public Map<String, KeyModelLimit> getModelLimits() {
            return modelLimits;
        }

        public void setModelLimits(Map<String, KeyModelLimit> modelLimits) {
            this.modelLimits = modelLimits;
            given.add("model_limits");
        }

        public BigDecimal getMonthlySpendCap() {
            return monthlySpendCap;
        }

        public void setMonthlySpendCap(BigDecimal monthlySpendCap) {
            this.monthlySpendCap = monthlySpendCap;
            given.add("monthly_spend_cap");
        }

        KeyChanges changes() {
            return new KeyChanges(given, name, apiIds, modelIds, modelLimits, monthlySpendCap);
        }
    }

    @POST
    @APIResponse(responseCode = "201", description = "The key, with its secret (shown only here)", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "createApiKey", summary = "Create an API key", description = "The answer holds the secret key: it is shown only "
            + "here. api_ids limits the key to those APIs; expires_at (ISO-8601) ends it. model_ids, model_limits and "
            + "monthly_spend_cap limit what the key may do on the AI endpoints (/v1).")
    public Response create(@NotNull(message = "a JSON body is required") CreateKeyRequest body) {
        ApiKeyView key = keys.create(currentUser.id(), body.name(), body.apiIds(), body.expiresAt(),
                new AiSettings(body.modelIds(), body.modelLimits(), body.monthlySpendCap()));
        return Response.status(201).header("Location", "/api/v1/api-keys/" + key.id()).header("Cache-Control",
                "no-store").entity(key).build();
    }

    @GET
    @Operation(operationId = "listApiKeys", summary = "My API keys", description = "Never with their secrets; include_revoked=true adds revoked "
            + "ones.")
    public List<ApiKeyView> mine(@QueryParam("include_revoked") @DefaultValue("false") boolean includeRevoked) {
        return keys.mine(currentUser.id(), includeRevoked);
    }

    @PATCH
    @Path("/{id}")
    @APIResponse(responseCode = "200", description = "The key as changed (without its secret)", content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "updateApiKey", summary = "Change an API key's settings", description = "Changes the "
            + "fields sent (name, api_ids, model_ids, model_limits, monthly_spend_cap) and leaves the others; null "
            + "clears a setting. In force on the gateway and the AI proxy when the call returns. 409 for a revoked "
            + "key.")
    public ApiKeyView update(@PathParam("id") UUID id,
            @NotNull(message = "a JSON body is required") UpdateKeyRequest body) {
        return keys.change(currentUser.id(), id, body.changes());
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
