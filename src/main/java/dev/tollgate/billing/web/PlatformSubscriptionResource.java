package dev.tollgate.billing.web;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.StripeSubscriptions;
import io.quarkus.security.Authenticated;

/** The caller's platform subscription (account tier bought through Stripe). */
@Path("/api/v1/billing/subscription")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "billing")
public class PlatformSubscriptionResource {

    private final StripeSubscriptions subscriptions;
    private final CurrentUser currentUser;

    PlatformSubscriptionResource(StripeSubscriptions subscriptions, CurrentUser currentUser) {
        this.subscriptions = subscriptions;
        this.currentUser = currentUser;
    }

    @GET
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getMyPlatformSubscription", summary = "My platform subscription", description = "The live one (active, trialing or past due), "
            + "else the latest; 404 when there never was one.")
    public StripeSubscriptions.SubscriptionView get() {
        return subscriptions.current(currentUser.id());
    }

    @POST
    @Path("/cancel")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "cancelMyPlatformSubscription", summary = "Cancel my platform subscription", description = "At the end of the paid period (the tier "
            + "lasts until then), or at once with cancel_immediately=true (the account is back on free now).")
    public StripeSubscriptions.SubscriptionView cancel(
            @QueryParam("cancel_immediately") @DefaultValue("false") boolean immediately) {
        return subscriptions.cancel(currentUser.id(), immediately);
    }

    @POST
    @Path("/reactivate")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "reactivateMyPlatformSubscription", summary = "Keep my platform subscription", description = "Undoes a cancellation at the period end "
            + "while the period lasts; 409 when it is not canceled or already ended.")
    public StripeSubscriptions.SubscriptionView reactivate() {
        return subscriptions.reactivate(currentUser.id());
    }
}
