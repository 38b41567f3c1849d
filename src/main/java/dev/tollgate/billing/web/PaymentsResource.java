package dev.tollgate.billing.web;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.StripePayments;
import io.quarkus.security.Authenticated;

@Path("/api/v1/payments")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "billing")
public class PaymentsResource {

    private final StripePayments payments;
    private final CurrentUser currentUser;

    PaymentsResource(StripePayments payments, CurrentUser currentUser) {
        this.payments = payments;
        this.currentUser = currentUser;
    }

    public record ProcessRequest(BigDecimal amount, String paymentMethodId) {
    }

    @POST
    @Path("/setup")
    @Operation(operationId = "setUpPaymentMethod", summary = "Save a payment method", description = "Creates your Stripe customer (once) and a "
            + "SetupIntent; confirm its client_secret with Stripe.js to save a card for later payments.")
    public StripePayments.Setup setup() {
        return payments.setup(currentUser.id());
    }

    @POST
    @Path("/process")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "402", ref = "PaymentRequired")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "payWithSavedMethod", summary = "Pay with a saved method", description = "{amount, payment_method_id}: a PaymentIntent "
            + "confirmed off-session; credits arrive when Stripe reports payment_intent.succeeded. 402 when the card "
            + "is declined. Send Idempotency-Key (1 to 150 characters) to make retries safe: the same key gets the "
            + "same payment back and never charges twice. 504 when Stripe's outcome is unknown: retry with the same "
            + "key.")
    public StripePayments.Payment process(@NotNull(message = "a JSON body is required") ProcessRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return payments.process(currentUser.id(), body.amount(), body.paymentMethodId(), idempotencyKey);
    }

    @GET
    @Path("/history")
    @Operation(operationId = "listMyPayments", summary = "My payments", description = "Newest first.")
    public List<StripePayments.Payment> history() {
        return payments.history(currentUser.id());
    }
}
