package dev.tollgate.catalog.web;

import java.math.BigDecimal;
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
import dev.tollgate.catalog.PlanView;
import dev.tollgate.catalog.Plans;
import io.quarkus.security.Authenticated;

@Path("/api/v1/apis/{apiId}/plans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "apis")
public class PlanResource {

    private final Plans plans;
    private final CurrentUser currentUser;

    PlanResource(Plans plans, CurrentUser currentUser) {
        this.plans = plans;
        this.currentUser = currentUser;
    }

    public record PlanRequest(String name, String type, BigDecimal pricePerCall, BigDecimal monthlyPrice,
            Long includedCalls, PlanView.RateLimit rateLimit, Long monthlyQuota) {
        Plans.PlanDraft draft() {
            return new Plans.PlanDraft(name, type, pricePerCall, monthlyPrice, includedCalls, rateLimit,
                    monthlyQuota);
        }
    }

    @GET
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "listPlans", summary = "Plans of an API")
    public List<PlanView> list(@PathParam("apiId") UUID apiId) {
        return plans.list(apiId, Actor.of(currentUser));
    }

    @POST
    @APIResponse(responseCode = "201", description = "The plan", content = @Content(schema = @Schema(implementation = PlanView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "createPlan", summary = "Add a plan", description = "type free, pay_per_call or subscription; prices in currency "
            + "units; rate_limit {requests, period: second|minute|hour|day}; monthly_quota in calls.")
    public Response create(@PathParam("apiId") UUID apiId,
            @NotNull(message = "a JSON body is required") PlanRequest body) {
        PlanView plan = plans.create(apiId, Actor.of(currentUser), body.draft());
        return Response.status(201).header("Location", "/api/v1/apis/" + apiId + "/plans/" + plan.id()).entity(plan)
                .build();
    }

    @GET
    @Path("/{planId}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getPlan", summary = "One plan")
    public PlanView get(@PathParam("apiId") UUID apiId, @PathParam("planId") UUID planId) {
        return plans.get(apiId, planId, Actor.of(currentUser));
    }

    @PUT
    @Path("/{planId}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "updatePlan", summary = "Replace a plan", description = "Every field is replaced; subscribers move with it.")
    public PlanView update(@PathParam("apiId") UUID apiId, @PathParam("planId") UUID planId,
            @NotNull(message = "a JSON body is required") PlanRequest body) {
        return plans.update(apiId, planId, Actor.of(currentUser), body.draft());
    }

    @DELETE
    @Path("/{planId}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "deletePlan", summary = "Delete a plan without active subscriptions")
    public Response delete(@PathParam("apiId") UUID apiId, @PathParam("planId") UUID planId) {
        plans.delete(apiId, planId, Actor.of(currentUser));
        return Response.noContent().build();
    }
}
