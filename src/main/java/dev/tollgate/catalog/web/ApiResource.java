package dev.tollgate.catalog.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiCatalog.ApiDraft;
import dev.tollgate.catalog.ApiView;
import io.quarkus.security.Authenticated;

@Path("/api/v1/apis")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "apis", description = "Providers' APIs, served through the gateway at /gw/{slug}")
public class ApiResource {

    private final ApiCatalog catalog;
    private final CurrentUser currentUser;

    ApiResource(ApiCatalog catalog, CurrentUser currentUser) {
        this.catalog = catalog;
        this.currentUser = currentUser;
    }

    public record ApiRequest(String name, String slug, String description, String baseUrl, String version,
            String category, List<String> tags, String visibility, Integer timeoutMs, Long maxRequestBodyBytes) {
        ApiDraft draft() {
            return new ApiDraft(name, slug, description, baseUrl, version, category, tags, visibility, timeoutMs,
                    maxRequestBodyBytes);
        }
    }

    @POST
    @APIResponse(responseCode = "201", description = "The API", content = @Content(schema = @Schema(implementation = ApiView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "createApi", summary = "Publish an API", description = "Providers and admins. The slug is derived from the name "
            + "unless given; a free default plan is created. base_url must be public unless "
            + "TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true.")
    public Response create(@NotNull(message = "a JSON body is required") ApiRequest body) {
        ApiView api = catalog.create(Actor.provider(currentUser).userId(), body.draft());
        return Response.status(201).header("Location", "/api/v1/apis/" + api.id()).entity(api).build();
    }

    @GET
    @Operation(operationId = "listMyApis", summary = "My APIs")
    public List<ApiView> mine() {
        return catalog.mine(currentUser.id());
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getApi", summary = "One API", description = "Owner and admins see base_url; others see public APIs only.")
    public ApiView get(@PathParam("id") UUID id) {
        return catalog.get(id, actor());
    }

    @PUT
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "updateApi", summary = "Change an API", description = "Fields left out stay as they are.")
    public ApiView update(@PathParam("id") UUID id, @NotNull(message = "a JSON body is required") ApiRequest body) {
        return catalog.update(id, actor(), body.draft());
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "deleteApi", summary = "Delete an API with its plans and subscriptions")
    public Response delete(@PathParam("id") UUID id) {
        catalog.delete(id, actor());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/pause")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "pauseApi", summary = "Pause an API", description = "Gateway calls get 503 until it is resumed.")
    public ApiView pause(@PathParam("id") UUID id) {
        return catalog.setPaused(id, actor(), true);
    }

    @POST
    @Path("/{id}/resume")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "resumeApi", summary = "Resume a paused API")
    public ApiView resume(@PathParam("id") UUID id) {
        return catalog.setPaused(id, actor(), false);
    }

    private Actor actor() {
        return Actor.of(currentUser);
    }
}
