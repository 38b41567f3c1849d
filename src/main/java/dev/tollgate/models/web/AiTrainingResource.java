package dev.tollgate.models.web;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import dev.tollgate.accounts.Role;
import dev.tollgate.models.AiTraining;
import dev.tollgate.models.AiTraining.TrainingDraft;
import dev.tollgate.models.AiTraining.TrainingJobView;
import io.quarkus.security.Authenticated;

@Path("/api/v1/ai/train")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "ai", description = "AI models for users: the catalogue and fine-tuning jobs")
public class AiTrainingResource {

    private final AiTraining training;
    private final CurrentUser currentUser;

    AiTrainingResource(AiTraining training, CurrentUser currentUser) {
        this.training = training;
        this.currentUser = currentUser;
    }

    @POST
    @RolesAllowed("admin")
    @APIResponse(responseCode = "201", description = "The job as the provider reported it", content = @Content(schema = @Schema(implementation = TrainingJobView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "501", ref = "NotImplemented")
    @APIResponse(responseCode = "502", ref = "BadGateway")
    @Operation(operationId = "startTraining", summary = "Start a fine-tuning job on a model", description = "At the "
            + "first channel of the model (in the proxy's order) whose provider has a fine-tuning API (OpenAI's "
            + "protocol: POST /fine_tuning/jobs); 501 when none has (Anthropic). training_file and validation_file "
            + "are ids of files uploaded at that provider. Admins only: jobs run on the platform's account and are not billed.")
    public Response start(@NotNull(message = "a JSON body is required") TrainingDraft body) {
        TrainingJobView job = training.start(currentUser.id(), body);
        return Response.status(201).header("Location", "/api/v1/ai/train/" + job.id()).entity(job).build();
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200", description = "The job, brought up to date from the provider unless it has ended")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "502", ref = "BadGateway")
    @Operation(operationId = "getTraining", summary = "A fine-tuning job's state", description = "Asks the provider "
            + "for the job's state (GET /fine_tuning/jobs/{id}) unless it has ended (succeeded, failed, cancelled). "
            + "Only for the user who started it and admins; to others it is 404.")
    public TrainingJobView get(@PathParam("id") UUID id) {
        return training.get(currentUser.id(), currentUser.has(Role.ADMIN), id);
    }
}
