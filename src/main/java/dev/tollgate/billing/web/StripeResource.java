package dev.tollgate.billing.web;

import java.math.BigDecimal;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.StripeTopUps;
import io.quarkus.security.Authenticated;

@Path("/api/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "billing")
public class StripeResource {

    private final StripeTopUps topUps;
    private final CurrentUser currentUser;

    StripeResource(StripeTopUps topUps, CurrentUser currentUser) {
        this.topUps = topUps;
        this.currentUser = currentUser;
    }

    public record CheckoutRequest(BigDecimal amount, String successUrl, String cancelUrl) {
    }

    @POST
    @Path("/checkout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @Operation(summary = "Buy credits with Stripe Checkout", description = "amount in currency units (1 to 10000). "
            + "Returns the Checkout Session id and the URL to send the user to; the wallet is credited when Stripe "
            + "reports the payment (webhook). 503 when Stripe is not configured.")
    public StripeTopUps.Checkout checkout(@NotNull(message = "a JSON body is required") CheckoutRequest body) {
        return topUps.checkout(currentUser.id(), body.amount(), body.successUrl(), body.cancelUrl());
    }

    @POST
    @Path("/webhook")
    @Consumes(MediaType.WILDCARD)
    @PermitAll
    @Operation(summary = "Stripe webhooks", description = "Verified with Stripe-Signature (400 when missing or "
            + "wrong). checkout.session.completed credits the session's user once; other events are acknowledged "
            + "and ignored.")
    public StripeTopUps.Received webhook(String payload, @HeaderParam("Stripe-Signature") String signature) {
        return topUps.webhook(payload == null ? "" : payload, signature);
    }
}
