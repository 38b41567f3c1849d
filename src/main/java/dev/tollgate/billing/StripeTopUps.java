package dev.tollgate.billing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;

import dev.tollgate.billing.store.StripeStore;
import dev.tollgate.billing.stripe.StripeApi;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * Prepaid credit through Stripe Checkout: Tollgate creates a Checkout Session for an amount, Stripe takes the
 * payment, and the signed {@code checkout.session.completed} webhook credits the wallet — once per session, however
 * often or in whatever order Stripe delivers it, and only for sessions Tollgate created.
 */
@ApplicationScoped
public class StripeTopUps {

    private static final Logger LOG = Logger.getLogger(StripeTopUps.class);
    static final BigDecimal MIN_TOP_UP = new BigDecimal("1");
    static final BigDecimal MAX_TOP_UP = new BigDecimal("10000");

    /** A created session: where to send the user. */
    public record Checkout(String sessionId, String url) {
    }

    private final Ledger ledger;
    private final StripeStore store;
    private final StripeApi stripe;

    private final Notifications notifications;

    StripeTopUps(Ledger ledger, StripeStore store, StripeApi stripe, Notifications notifications) {
        this.notifications = notifications;
        this.ledger = ledger;
        this.store = store;
        this.stripe = stripe;
    }

    public Checkout checkout(UUID userId, BigDecimal amount, String successUrl, String cancelUrl) {
        List<FieldError> errors = new ArrayList<>();
        if (amount == null || amount.compareTo(MIN_TOP_UP) < 0 || amount.compareTo(MAX_TOP_UP) > 0) {
            errors.add(new FieldError("amount", "must be " + MIN_TOP_UP + " to " + MAX_TOP_UP));
        } else if (amount.stripTrailingZeros().scale() > minorDigits()) {
            errors.add(new FieldError("amount", "must have at most " + minorDigits() + " decimals"));
        }
        StripeFormats.checkUrl(errors, "success_url", successUrl);
        StripeFormats.checkUrl(errors, "cancel_url", cancelUrl);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        long minor = amount.movePointRight(minorDigits()).longValueExact();
        SessionCreateParams params = SessionCreateParams.builder().setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl(successUrl).setCancelUrl(cancelUrl).setClientReferenceId(userId.toString())
                .putMetadata("tollgate_user_id", userId.toString())
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(ledger.currency()).setUnitAmount(minor)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Tollgate credits").build())
                                .build())
                        .build())
                .build();
        Session session = stripe.call("start the payment", null,
                (client, options) -> client.v1().checkout().sessions().create(params, options));
        store.saveCheckout(new StripeStore.CheckoutRow(session.getId(), userId, "payment", null,
                Money.toMicros(amount), ledger.currency()));
        LOG.infof("Checkout Session %s for %s %s created for %s", session.getId(), amount, ledger.currency(),
                userId);
        return new Checkout(session.getId(), session.getUrl());
    }

    /** {@code checkout.session.completed} of a top-up: credits the session's user once. */
    StripeWebhooks.Received completed(JsonNode session) {
        String sessionId = session.path("id").asText("");
        if (!"paid".equals(session.path("payment_status").asText())) {
            return new StripeWebhooks.Received(true, "session " + sessionId + " is not paid yet");
        }
        Optional<UUID> user = store.checkout(sessionId, "payment").map(StripeStore.CheckoutRow::userId);
        if (user.isEmpty()) {
            LOG.warnf("Webhook for Checkout Session %s, which Tollgate did not create: ignored", sessionId);
            return new StripeWebhooks.Received(true, "unknown session " + sessionId);
        }
        String currency = session.path("currency").asText(ledger.currency()).toLowerCase(Locale.ROOT);
        long minor = session.path("amount_total").asLong(0);
        if (!currency.equals(ledger.currency()) || minor <= 0) {
            LOG.errorf("Checkout Session %s paid %d %s, not creditable in %s", sessionId, minor, currency,
                    ledger.currency());
            return new StripeWebhooks.Received(true, "session " + sessionId + " has no creditable amount");
        }
        long micros = StripeFormats.microsOfMinor(minor, currency);
        Ledger.Posted posted = ledger.post("topup", "stripe:checkout:" + sessionId, "Top-up via Stripe Checkout "
                + sessionId, null,
                List.of(new Ledger.Leg(AccountKind.CONSUMER_WALLET, user.get(), micros),
                        new Ledger.Leg(AccountKind.STRIPE_CLEARING, null, -micros)));
        store.markCheckoutCompleted(sessionId);
        if (!posted.replayed()) {
            notifications.notify(credited(user.get(), micros, ledger.currency(), sessionId));
        }
        return new StripeWebhooks.Received(true, posted.replayed() ? "already credited" : "credited");
    }

    /**
     * {@code checkout.session.async_payment_failed} of a top-up (a delayed payment method such as a bank debit that
     * did not go through): nothing is credited; the session's user is told, once per session.
     */
    StripeWebhooks.Received failed(JsonNode session) {
        String sessionId = session.path("id").asText("");
        Optional<StripeStore.CheckoutRow> checkout = store.checkout(sessionId, "payment");
        if (checkout.isEmpty()) {
            LOG.warnf("Failed-payment webhook for Checkout Session %s, which Tollgate did not create: ignored",
                    sessionId);
            return new StripeWebhooks.Received(true, "unknown session " + sessionId);
        }
        notifications.notify(topUpFailed(checkout.get().userId(), checkout.get().amount(), ledger.currency(),
                sessionId, null));
        return new StripeWebhooks.Received(true, "session " + sessionId + " failed; the user is told");
    }

    /**
     * What a user is told when a payment meant for their wallet failed ({@code reference}: its session or
     * PaymentIntent id, the cause: one notice per failed payment however often Stripe delivers it).
     */
    static Notifications.Notice topUpFailed(UUID user, long micros, String currency, String reference,
            String reason) {
        return new Notifications.Notice(user, "topup_failed", "Payment failed: "
                + Money.fromMicros(micros).toPlainString() + " " + currency + " not added",
                "Your payment " + reference + " did not go through" + (reason == null ? "" : " (" + reason + ")")
                        + "; nothing was charged to your wallet. Try again or use another payment method.",
                "/api/v1/payments/history", Map.of("amount", Money.fromMicros(micros), "reference", reference),
                "topup_failed:" + reference);
    }

    /** What a user is told when a payment ({@code reference}: its session or PaymentIntent id) reached their wallet. */
    static Notifications.Notice credited(UUID user, long micros, String currency, String reference) {
        return new Notifications.Notice(user, "topup_succeeded", "Credits added: "
                + Money.fromMicros(micros).toPlainString() + " " + currency,
                "Your payment " + reference
                        + " was credited to your wallet.",
                "/api/v1/billing/transactions", Map.of("amount", Money.fromMicros(micros), "reference", reference),
                "topup:" + reference);
    }

    private int minorDigits() {
        return StripeFormats.minorDigits(ledger.currency());
    }
}
