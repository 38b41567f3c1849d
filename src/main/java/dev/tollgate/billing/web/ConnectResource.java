package dev.tollgate.billing.web;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.StripeConnect;
import io.quarkus.security.Authenticated;

/** A provider's Stripe Connect account, into which approved payouts are transferred. */
@Path("/api/v1/billing/connect")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "billing")
public class ConnectResource {

    private final StripeConnect connect;
    private final CurrentUser currentUser;

    ConnectResource(StripeConnect connect, CurrentUser currentUser) {
        this.connect = connect;
        this.currentUser = currentUser;
    }

    public record OnboardRequest(String returnUrl, String refreshUrl) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "setUpPayoutAccount", summary = "Set up my payout account", description = "Providers: creates your Stripe Connect "
            + "(Express) account once and returns a link to Stripe's onboarding; approved payouts are then "
            + "transferred to it. Call again for a fresh link.")
    public StripeConnect.Onboarding onboard(@NotNull(message = "a JSON body is required") OnboardRequest body) {
        PayoutResource.requireProvider(currentUser);
        return connect.onboard(currentUser.id(), body.returnUrl(), body.refreshUrl());
    }

    @GET
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getPayoutAccount", summary = "My payout account", description = "Whether Stripe has your details and will pay out; "
            + "404 before POST /api/v1/billing/connect.")
    public StripeConnect.ConnectStatus status() {
        PayoutResource.requireProvider(currentUser);
        return connect.status(currentUser.id());
    }
}
