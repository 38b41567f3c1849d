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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.Actor;
import dev.tollgate.hosted.GenerationView;
import dev.tollgate.hosted.Generations;
import dev.tollgate.hosted.Suggestions;
import dev.tollgate.platform.SseEvents;
import io.quarkus.security.Authenticated;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "hosted")
public class GenerateResource {

    /** What to generate: the description, and optionally a name for the new API or an API to add a version to. */
    public record GenerateBody(String prompt, String name, UUID apiId) {
    }

    /** My generations this month against my tier's allowance, and my recent jobs. */
    public record Generated(String tier, long apiGenerationCount, long limit, String period,
            List<GenerationView> jobs) {
    }

    private static final long EVENTS_POLL_MILLIS = 250;
    private static final long EVENTS_MAX_MILLIS = 15 * 60_000;

    private final Generations generations;
    private final Suggestions suggestions;
    private final CurrentUser currentUser;
    private final ObjectMapper json;

    GenerateResource(Generations generations, Suggestions suggestions, CurrentUser currentUser, ObjectMapper json) {
        this.generations = generations;
        this.suggestions = suggestions;
        this.currentUser = currentUser;
        this.json = json;
    }

    @POST
    @Path("/generate")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "The job, queued; follow it at GET /api/v1/generate/{job_id} or its /events", content = @Content(schema = @Schema(implementation = GenerationView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @Operation(operationId = "generateApi", summary = "Generate an API from a description", description = "Providers "
            + "and admins. The generator model (TOLLGATE_GENERATOR_MODEL; 503 without one) writes the code and "
            + "example requests; the examples run in the sandbox and failures go back to the model to repair "
            + "(TOLLGATE_GENERATION_REPAIRS times). The result is a draft version of a new hosted API (or of api_id), "
            + "deployed with POST /api/v1/deploy {api_id, version}. Model calls are paid from your credit; each "
            + "generation counts toward your tier's monthly allowance (429 beyond it).")
    public Response generate(@NotNull(message = "a JSON body is required") GenerateBody body) {
        GenerationView job = generations.start(Actor.provider(currentUser), body.prompt(), body.name(),
                body.apiId());
        return Response.status(202).header("Location", "/api/v1/generate/" + job.jobId()).entity(job).build();
    }

    @GET
    @Path("/generate")
    @APIResponse(responseCode = "200", description = "The allowance and the last 50 jobs, newest first")
    @Operation(operationId = "listGenerations", summary = "My generations and my monthly allowance")
    public Generated mine() {
        Generations.Allowance allowance = generations.allowance(currentUser.id());
        return new Generated(allowance.tier(), allowance.used(), allowance.limit(), allowance.period(),
                generations.mine(currentUser.id()));
    }

    @GET
    @Path("/generate/{job_id}")
    @APIResponse(responseCode = "200", description = "The job: status, progress, and once done the API, version, code, tests with results and explanation", content = @Content(schema = @Schema(implementation = GenerationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getGeneration", summary = "A generation job")
    public GenerationView job(@PathParam("job_id") UUID jobId) {
        return generations.get(jobId, currentUser.id());
    }

    @GET
    @Path("/generate/{job_id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @APIResponse(responseCode = "200", description = "Server-Sent Events: event: progress, data: {at, stage, message} for each step (those before the connection first); then event: done, data: the job", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "streamGeneration", summary = "A generation job's progress, as it happens")
    public Response events(@PathParam("job_id") UUID jobId) {
        UUID userId = currentUser.id();
        generations.get(jobId, userId); // 404 before the stream starts
        StreamingOutput stream = out -> {
            int sent = 0;
            long deadline = System.currentTimeMillis() + EVENTS_MAX_MILLIS;
            while (true) {
                GenerationView job = generations.get(jobId, userId);
                List<Map<String, Object>> progress = job.progress();
                for (; sent < progress.size(); sent++) {
                    if (!SseEvents.write(out, json, "progress", progress.get(sent))) {
                        return;
                    }
                }
                boolean done = "ready".equals(job.status()) || "failed".equals(job.status());
                if (done || System.currentTimeMillis() > deadline) {
                    SseEvents.write(out, json, "done", job);
                    return;
                }
                try {
                    Thread.sleep(EVENTS_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        };
        return Response.ok(stream, MediaType.SERVER_SENT_EVENTS).header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    @GET
    @Path("/suggestions")
    @APIResponse(responseCode = "200", description = "Suggested improvements of the API's active version", content = @Content(schema = @Schema(implementation = Suggestions.Review.class)))
    @APIResponse(responseCode = "402", ref = "PaymentRequired")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @Operation(operationId = "suggestImprovements", summary = "Improvements for one of my hosted APIs", description = "The "
            + "generator model reviews the active version's code: error handling, validation, docs, security. Paid "
            + "from your credit at the model's price.")
    public Suggestions.Review suggestions(@QueryParam("api_id") UUID apiId) {
        return suggestions.review(Actor.of(currentUser), apiId);
    }
}
