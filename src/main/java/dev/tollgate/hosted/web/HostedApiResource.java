package dev.tollgate.hosted.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.Actor;
import dev.tollgate.hosted.DeployResult;
import dev.tollgate.hosted.HostedApis;
import dev.tollgate.hosted.SecretView;
import dev.tollgate.hosted.VersionView;
import io.quarkus.security.Authenticated;

@Path("/api/v1/apis/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "hosted")
public class HostedApiResource {

    /** A secret to set: its name (e.g. {@code WEATHER_KEY}) and value. */
    public record SecretBody(String name, String value) {
    }

    private final HostedApis hosted;
    private final CurrentUser currentUser;

    HostedApiResource(HostedApis hosted, CurrentUser currentUser) {
        this.hosted = hosted;
        this.currentUser = currentUser;
    }

    @GET
    @Path("/versions")
    @APIResponse(responseCode = "200", description = "The versions, newest first")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "listVersions", summary = "A hosted API's versions", description = "The owner and admins. "
            + "Each with its status (ready, failed, untested), source, author, time, test figures and whether it is "
            + "the one served.")
    public List<VersionView> versions(@PathParam("id") UUID id) {
        return hosted.versions(id, Actor.of(currentUser));
    }

    @GET
    @Path("/versions/{n}")
    @APIResponse(responseCode = "200", description = "The version with its code, tests and their results")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "getVersion", summary = "One version of a hosted API, with its code")
    public VersionView version(@PathParam("id") UUID id, @PathParam("n") int number) {
        return hosted.version(id, number, Actor.of(currentUser));
    }

    @POST
    @Path("/versions/{n}/activate")
    @APIResponse(responseCode = "200", description = "The version is now served", content = @Content(schema = @Schema(implementation = DeployResult.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "activateVersion", summary = "Serve a version (rollback)", description = "The gateway "
            + "switches to it within a second; calls in flight finish on the version they started on. A version whose "
            + "tests failed needs force=true.")
    public DeployResult activate(@PathParam("id") UUID id, @PathParam("n") int number,
            @QueryParam("force") boolean force) {
        return hosted.activate(id, number, Actor.of(currentUser), force);
    }

    @GET
    @Path("/versions/{n}/openapi")
    @APIResponse(responseCode = "200", description = "An OpenAPI 3.0 document derived from the version's routes", content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "getVersionOpenApi", summary = "The OpenAPI document of a hosted API's version", description = "The "
            + "active version's document is also imported as the API's endpoints, shown on its listing.")
    public ObjectNode openApi(@PathParam("id") UUID id, @PathParam("n") int number) {
        return hosted.openApi(id, number, Actor.of(currentUser));
    }

    @POST
    @Path("/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Set; the value is never shown again", content = @Content(schema = @Schema(implementation = SecretView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "setSecret", summary = "Set a secret of a hosted API", description = "Stored sealed "
            + "(AES-GCM); the code reads it as env.NAME from its next call on. Never returned or logged.")
    public SecretView setSecret(@PathParam("id") UUID id,
            @NotNull(message = "a JSON body is required") SecretBody body) {
        return hosted.putSecret(id, Actor.of(currentUser), body.name(), body.value());
    }

    @GET
    @Path("/secrets")
    @APIResponse(responseCode = "200", description = "The secrets' names and dates")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "listSecrets", summary = "A hosted API's secrets (names only)")
    public List<SecretView> secrets(@PathParam("id") UUID id) {
        return hosted.secrets(id, Actor.of(currentUser));
    }

    @DELETE
    @Path("/secrets/{name}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "deleteSecret", summary = "Delete a secret of a hosted API")
    public Response deleteSecret(@PathParam("id") UUID id, @PathParam("name") String name) {
        hosted.deleteSecret(id, Actor.of(currentUser), name);
        return Response.noContent().build();
    }
}
