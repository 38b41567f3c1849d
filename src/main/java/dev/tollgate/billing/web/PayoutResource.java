package dev.tollgate.billing.web;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import dev.tollgate.accounts.Role;
import dev.tollgate.billing.Payouts;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "billing")
public class PayoutResource {

    private final Payouts payouts;
    private final CurrentUser currentUser;

    PayoutResource(Payouts payouts, CurrentUser currentUser) {
        this.payouts = payouts;
        this.currentUser = currentUser;
    }

    public record PayoutRequest(BigDecimal amount) {
    }

    @GET
    @Path("/overview")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(operationId = "getMyEarnings", summary = "My earnings", description = "Providers: available, pending payout and paid out, by API "
            + "and by month (UTC).")
    public Payouts.Overview overview() {
        requireProvider();
        return payouts.overview(currentUser.id());
    }

    @POST
    @Path("/payout-request")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "The payout, pending", content = @Content(schema = @Schema(implementation = Payouts.PayoutView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "requestPayout", summary = "Ask to be paid", description = "amount at least TOLLGATE_MIN_PAYOUT (default 10) and at "
            + "most the available earnings; it is held until an admin approves or rejects the payout.")
    public Response request(@NotNull(message = "a JSON body is required") PayoutRequest body) {
        requireProvider();
        Payouts.PayoutView payout = payouts.request(currentUser.id(), body.amount());
        return Response.status(201).entity(payout).build();
    }

    @GET
    @Path("/payouts")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listMyPayouts", summary = "My payouts", description = "Newest first; status pending, paid or rejected.")
    public List<Payouts.PayoutView> mine(@QueryParam("status") String status,
            @QueryParam("skip") @DefaultValue("0") @Min(value = 0, message = "must be 0 or more") int skip,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be 1 to 1000") @Max(value = 1000, message = "must be 1 to 1000") int limit) {
        return payouts.of(currentUser.id(), blankToNull(status), skip, limit);
    }

    private void requireProvider() {
        requireProvider(currentUser);
    }

    /** Earnings, payouts and payout accounts are for providers (and admins): 403 otherwise. */
    static void requireProvider(CurrentUser user) {
        if (!user.has(Role.PROVIDER) && !user.has(Role.ADMIN)) {
            throw ProblemException.forbidden("Earnings and payouts are for providers.");
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

}
