package dev.tollgate.billing.web;

import java.math.BigDecimal;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.Ledger;
import dev.tollgate.billing.StripeSubscriptions;
import dev.tollgate.billing.StripeTopUps;
import dev.tollgate.billing.StripeWebhooks;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "billing")
public class StripeResource {

    private final StripeTopUps topUps;
    private final StripeSubscriptions subscriptions;
    private final StripeWebhooks webhooks;
    private final CurrentUser currentUser;
    private final Ledger ledger;

    StripeResource(StripeTopUps topUps, StripeSubscriptions subscriptions, StripeWebhooks webhooks,
            CurrentUser currentUser, Ledger ledger) {
        this.topUps = topUps;
        this.subscriptions = subscriptions;
        this.webhooks = webhooks;
        this.currentUser = currentUser;
        this.ledger = ledger;
    }

    /** Either {@code amount} (buy credits) or {@code tier} (subscribe to an account tier). */
    public record CheckoutRequest(BigDecimal amount, String tier, String successUrl, String cancelUrl) {
    }

    public record TierPrice(String tier, BigDecimal price, String currency, String interval) {
    }

    @POST
    @Path("/checkout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "createCheckoutSession", summary = "Buy credits or an account tier with Stripe Checkout", description = "{amount, "
            + "success_url, cancel_url} buys credits (amount in currency units, 1 to 10000; the wallet is credited "
            + "when Stripe reports the payment). {tier, success_url, cancel_url} subscribes to the pro or enterprise "
            + "tier monthly (409 while another tier subscription is live). Returns the Checkout Session id and the "
            + "URL to send the user to. 503 when Stripe is not configured.")
    public StripeTopUps.Checkout checkout(@NotNull(message = "a JSON body is required") CheckoutRequest body) {
        if (body.tier() != null) {
            if (body.amount() != null) {
                throw ProblemException.invalid("tier", "give either amount (credits) or tier (subscription), not "
                        + "both");
            }
            return subscriptions.checkout(currentUser.id(), body.tier(), body.successUrl(), body.cancelUrl());
        }
        return topUps.checkout(currentUser.id(), body.amount(), body.successUrl(), body.cancelUrl());
    }

    @GET
    @Path("/tiers")
    @PermitAll
    @SecurityRequirements
    @Operation(operationId = "listTiers", summary = "Account tiers on sale", description = "Monthly prices of the paid tiers "
            + "(TOLLGATE_TIER_PRICES).")
    public List<TierPrice> tiers() {
        return subscriptions.prices().entrySet().stream().map(e -> new TierPrice(e.getKey().id(), e.getValue(),
                ledger.currency(), "month")).toList();
    }

    @GET
    @Path("/invoices")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listMyInvoices", summary = "My Stripe invoices", description = "Newest first, from Stripe (amounts in currency "
            + "units). Empty before the first payment.")
    public List<StripeSubscriptions.InvoiceView> invoices(
            @QueryParam("limit") @DefaultValue("10") @Min(value = 1, message = "must be 1 to 100") @Max(value = 100, message = "must be 1 to 100") int limit) {
        return subscriptions.invoices(currentUser.id(), limit);
    }

    @POST
    @Path("/webhook")
    @Consumes(MediaType.WILDCARD)
    @PermitAll
    @SecurityRequirements
    @Operation(operationId = "receiveStripeWebhook", summary = "Stripe webhooks", description = "Verified with Stripe-Signature (400 when missing or "
            + "wrong). checkout.session.completed, payment_intent.succeeded, customer.subscription.*, invoice.paid "
            + "and invoice.payment_failed are applied once, in any order; other events are acknowledged and "
            + "ignored.")
    public StripeWebhooks.Received webhook(String payload, @HeaderParam("Stripe-Signature") String signature) {
        return webhooks.receive(payload == null ? "" : payload, signature);
    }
}
