package dev.tollgate.hosted.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.Actor;
import dev.tollgate.hosted.DeployResult;
import dev.tollgate.hosted.HostedApis;
import dev.tollgate.hosted.TemplateView;
import io.quarkus.security.Authenticated;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "hosted", description = "Hosted APIs: code Tollgate runs in its sandbox, versions, secrets, templates")
public class DeployResource {

    /** The body of a deploy; see {@link HostedApis.DeployRequest}. */
    public record DeployBody(UUID apiId, String name, String description, String visibility, String code,
            String template, Integer version,
            @Schema(description = "Example requests: [{name, request: {method, "
                    + "path, query?, headers?, body? | json?}, expected: {status, json? | text?, headers?}}]") List<Map<String, Object>> tests,
            Boolean force) {
    }

    private final HostedApis hosted;
    private final CurrentUser currentUser;
    private final ObjectMapper json;

    DeployResource(HostedApis hosted, CurrentUser currentUser, ObjectMapper json) {
        this.json = json;
        this.hosted = hosted;
        this.currentUser = currentUser;
    }

    @POST
    @Path("/deploy")
    @APIResponse(responseCode = "200", description = "Deployed: the API and the version now served", content = @Content(schema = @Schema(implementation = DeployResult.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "deploy", summary = "Deploy code, a template or a version of a hosted API", description = "Providers "
            + "and admins. Give exactly one of: code (an ES module exporting default { routes: { \"GET /x/{id}\": (req) => "
            + "({status, json}) } }, see docs/HOSTED.md), template (an id from GET /api/v1/templates) or version (a stored "
            + "version of api_id, e.g. a generated draft or a rollback). Without api_id a new hosted API named name is "
            + "created. New code is loaded and run against its tests in the sandbox first: code that does not load is a "
            + "422; failing tests are a 422 with the results unless force is true, and nothing is stored. The version "
            + "is served through /gw/{slug} within a second; calls in flight finish on the old one.")
    public DeployResult deploy(@NotNull(message = "a JSON body is required") DeployBody body) {
        return hosted.deploy(Actor.provider(currentUser),
                new HostedApis.DeployRequest(body.apiId(), body.name(), body.description(), body.visibility(),
                        body.code(), body.template(), body.version(),
                        body.tests() == null ? null : json.valueToTree(body.tests()),
                        Boolean.TRUE.equals(body.force())));
    }

    @GET
    @Path("/templates")
    @APIResponse(responseCode = "200", description = "The templates (without their code)")
    @Operation(operationId = "listTemplates", summary = "The template library", description = "Starting points for "
            + "hosted APIs; deploy one with POST /api/v1/deploy {\"name\": …, \"template\": id}.")
    public List<TemplateView> templates() {
        return hosted.templates();
    }

    @GET
    @Path("/templates/{id}")
    @APIResponse(responseCode = "200", description = "The template with its code and example requests")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getTemplate", summary = "One template, with its code")
    public TemplateView template(@PathParam("id") String id) {
        return hosted.template(id);
    }
}
