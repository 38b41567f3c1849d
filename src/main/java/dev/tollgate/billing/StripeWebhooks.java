package dev.tollgate.billing;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.billing.stripe.StripeApi;
import dev.tollgate.platform.ProblemException;

/**
 * Stripe's webhook deliveries: verified against {@code Stripe-Signature} (nothing changes without a valid one), then
 * handed to the feature that owns the object. Every handler is idempotent and tolerates any delivery order.
 */
@ApplicationScoped
public class StripeWebhooks {

    private static final Logger LOG = Logger.getLogger(StripeWebhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a webhook delivery did. */
    public record Received(boolean received, String outcome) {
    }

    private final StripeApi stripe;
    private final StripeTopUps topUps;
    private final StripePayments payments;
    private final StripeSubscriptions subscriptions;

    StripeWebhooks(StripeApi stripe, StripeTopUps topUps, StripePayments payments,
            StripeSubscriptions subscriptions) {
        this.stripe = stripe;
        this.topUps = topUps;
        this.payments = payments;
        this.subscriptions = subscriptions;
    }

    /**
     * Verifies and handles a delivery.
     *
     * @throws ProblemException 400 for a missing or wrong signature (nothing changes), 503 when not configured
     */
    public Received receive(String payload, String signature) {
        stripe.verifyWebhook(payload, signature);
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (Exception e) {
            throw ProblemException.badRequest("The webhook payload is not JSON.");
        }
        String type = event.path("type").asText("");
        long created = event.path("created").asLong(0);
        JsonNode object = event.path("data").path("object");
        Received received = switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                "subscription".equals(object.path("mode").asText())
                        ? subscriptions.sessionCompleted(object)
                        : topUps.completed(object);
            case "checkout.session.async_payment_failed" -> "subscription".equals(object.path("mode").asText())
                    ? new Received(true, "subscription checkout " + object.path("id").asText("") + " not paid")
                    : topUps.failed(object);
            case "payment_intent.succeeded" -> payments.succeeded(object);
            case "payment_intent.payment_failed" -> payments.failed(object);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                subscriptions.subscriptionChanged(type, object, created);
            case "invoice.paid", "invoice.payment_failed" -> subscriptions.invoiceEvent(type, object, created);
            default -> new Received(true, "ignored " + (type.isEmpty() ? "an event without type" : type));
        };
        LOG.infof("Stripe event %s (%s): %s", event.path("id").asText("?"), type, received.outcome());
        return received;
    }
}
