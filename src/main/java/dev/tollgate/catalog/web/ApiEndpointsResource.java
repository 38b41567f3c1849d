package dev.tollgate.catalog.web;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.EndpointView;
import dev.tollgate.catalog.OpenApiImport;
import io.quarkus.security.Authenticated;

@Path("/api/v1/apis/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "apis")
public class ApiEndpointsResource {

    private final OpenApiImport openApi;
    private final CurrentUser currentUser;

    ApiEndpointsResource(OpenApiImport openApi, CurrentUser currentUser) {
        this.openApi = openApi;
        this.currentUser = currentUser;
    }

    @POST
    @Path("/openapi")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            MediaType.TEXT_PLAIN})
    @RequestBody(description = "An OpenAPI 3.0 or 3.1 document (JSON or YAML), or {\"url\": \"https://…\"} to fetch "
            + "one (public addresses only, no redirects, at most 5 MB)", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)),
                    @Content(mediaType = "application/yaml", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "200", description = "The endpoints now imported", content = @Content(schema = @Schema(implementation = OpenApiImport.Imported.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "importOpenApi", summary = "Import an API's endpoints from its OpenAPI document", description = "The "
            + "API's owner or an admin. Replaces its endpoints; 422 lists what is wrong with an invalid document. Only "
            + "local $refs are followed. Usage and analytics then name each call by its operation's path template, "
            + "and the marketplace shows and searches the endpoints.")
    public OpenApiImport.Imported importDocument(@PathParam("id") UUID id, String body) {
        return openApi.importDocument(id, Actor.of(currentUser), body);
    }

    @GET
    @Path("/endpoints")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "listApiEndpoints", summary = "An API's endpoints", description = "As imported from its "
            + "OpenAPI document, in the document's order; empty before an import. Public APIs for anyone signed in.")
    public List<EndpointView> endpoints(@PathParam("id") UUID id) {
        return openApi.endpoints(id, Actor.of(currentUser));
    }
}
