package dev.tollgate.billing.web;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.Payouts;

@Path("/api/v1/admin/payouts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin")
public class AdminPayoutResource {

    private final Payouts payouts;
    private final CurrentUser currentUser;

    AdminPayoutResource(Payouts payouts, CurrentUser currentUser) {
        this.payouts = payouts;
        this.currentUser = currentUser;
    }

    public record Decision(String reference, String note) {
    }

    @GET
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listAllPayouts", summary = "All payouts", description = "Newest first; status pending, processing, paid or rejected.")
    public List<Payouts.PayoutView> list(@QueryParam("status") String status,
            @QueryParam("skip") @DefaultValue("0") @Min(value = 0, message = "must be 0 or more") int skip,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be 1 to 1000") @Max(value = 1000, message = "must be 1 to 1000") int limit) {
        return payouts.of(null, PayoutResource.blankToNull(status), skip, limit);
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "approvePayout", summary = "Pay a payout", description = "Transfers the amount to the "
            + "provider's Stripe Connect account (the transfer id becomes the reference; 502 and still pending when "
            + "Stripe refuses; 504 and still processing when Stripe's outcome is unknown: approve again to finish it). For a "
            + "provider without one, pay by hand and give {reference}: the bank or transfer reference. 409 unless "
            + "pending, or processing (an interrupted transfer, retried without paying twice).")
    public Payouts.PayoutView approve(@PathParam("id") UUID id, Decision body) {
        return payouts.approve(currentUser.id(), id, body == null ? null : body.reference());
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "rejectPayout", summary = "Reject a payout", description = "{note?}; the amount goes back to the provider's "
            + "earnings. 409 unless pending.")
    public Payouts.PayoutView reject(@PathParam("id") UUID id, Decision body) {
        return payouts.reject(currentUser.id(), id, body == null ? null : body.note());
    }
}
