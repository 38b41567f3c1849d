package dev.tollgate.billing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.SetupIntent;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.SetupIntentCreateParams;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.billing.store.StripeStore;
import dev.tollgate.billing.store.StripeStore.PaymentRow;
import dev.tollgate.billing.stripe.StripeApi;
import dev.tollgate.billing.stripe.StripeOutcomeUnknown;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * Saved payment methods and direct payments: a Stripe customer per user, a SetupIntent to save a card, and
 * PaymentIntents charged off-session on a saved method. The wallet is credited by the signed
 * {@code payment_intent.succeeded} webhook, once per PaymentIntent Tollgate created — also when the webhook comes
 * before Stripe's answer to the creation (the intent's metadata names the user, and its customer must be the one
 * Tollgate created for that user). A client's {@code Idempotency-Key} makes a retried payment charge the card once.
 */
@ApplicationScoped
public class StripePayments {

    /** Metadata that marks the PaymentIntents of saved-card payments, the only ones credited by their own webhook. */
    static final String PURPOSE = "tollgate_purpose";
    static final String WALLET_PAYMENT = "wallet_payment";

    private static final Logger LOG = Logger.getLogger(StripePayments.class);

    public record Setup(String customerId, String setupIntentId, String clientSecret) {
    }

    public record Payment(String paymentIntentId, String status, BigDecimal amount, String currency,
            Instant createdAt) {
    }

    private final StripeApi stripe;
    private final Ledger ledger;
    private final StripeStore store;
    private final UserDirectory users;

    private final Notifications notifications;

    StripePayments(StripeApi stripe, Ledger ledger, StripeStore store, UserDirectory users,
            Notifications notifications) {
        this.notifications = notifications;
        this.stripe = stripe;
        this.ledger = ledger;
        this.store = store;
        this.users = users;
    }

    /** Creates (once) the user's Stripe customer and a SetupIntent whose client secret the browser confirms. */
    public Setup setup(UUID userId) {
        String email = users.get(userId).email();
        String customer = store.customerOf(userId).orElse(null);
        if (customer == null) {
            // the idempotency key makes concurrent first set-ups of one user get the same Stripe customer
            Customer created = stripe.call("create the customer", "tollgate-customer-" + userId,
                    (client, options) -> client.v1().customers().create(CustomerCreateParams.builder()
                            .setEmail(email).putMetadata("tollgate_user_id", userId.toString()).build(), options));
            store.saveCustomer(userId, created.getId());
            customer = store.customerOf(userId).orElse(created.getId());
        }
        String owner = customer;
        SetupIntent intent = stripe.call("set up the payment method", null,
                (client, options) -> client.v1().setupIntents().create(SetupIntentCreateParams.builder()
                        .setCustomer(owner).setUsage(SetupIntentCreateParams.Usage.OFF_SESSION)
                        .putMetadata("tollgate_user_id", userId.toString()).build(), options));
        return new Setup(customer, intent.getId(), intent.getClientSecret());
    }

    /**
     * Charges a saved payment method off-session; the credit arrives with the webhook. The same
     * {@code idempotencyKey} (the client's, per user) gets the same PaymentIntent back instead of a second charge.
     */
    public Payment process(UUID userId, BigDecimal amount, String paymentMethodId, String idempotencyKey) {
        List<FieldError> errors = new ArrayList<>();
        int digits = StripeFormats.minorDigits(ledger.currency());
        if (amount == null || amount.compareTo(StripeTopUps.MIN_TOP_UP) < 0
                || amount.compareTo(StripeTopUps.MAX_TOP_UP) > 0) {
            errors.add(new FieldError("amount", "must be " + StripeTopUps.MIN_TOP_UP + " to "
                    + StripeTopUps.MAX_TOP_UP));
        } else if (amount.stripTrailingZeros().scale() > digits) {
            errors.add(new FieldError("amount", "must have at most " + digits + " decimals"));
        }
        if (paymentMethodId == null || !paymentMethodId.matches("pm_[A-Za-z0-9_]{1,250}")) {
            errors.add(new FieldError("payment_method_id", "is required: the id (pm_…) of a method saved "
                    + "with POST /api/v1/payments/setup"));
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 150)) {
            errors.add(new FieldError("Idempotency-Key", "must be 1 to 150 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String customer = store.customerOf(userId).orElseThrow(() -> ProblemException.invalid("payment_method_id",
                "no saved payment method: call POST /api/v1/payments/setup first"));
        String currency = ledger.currency();
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(amount.movePointRight(digits).longValueExact()).setCurrency(currency)
                .setCustomer(customer).setPaymentMethod(paymentMethodId).setConfirm(true).setOffSession(true)
                .putMetadata("tollgate_user_id", userId.toString()).putMetadata(PURPOSE, WALLET_PAYMENT).build();
        PaymentIntent intent;
        try {
            intent = stripe.call("take the payment", stripeKey(userId, idempotencyKey),
                    (client, options) -> client.v1().paymentIntents().create(params, options));
        } catch (StripeOutcomeUnknown e) {
            throw new StripeOutcomeUnknownPayment();
        }
        // the webhook may have recorded (and credited) it already, and a retry finds it recorded
        Instant now = Instant.now();
        if (store.savePayment(new PaymentRow(intent.getId(), userId, intent.getStatus(), Money.toMicros(amount),
                currency, now))) {
            LOG.infof("PaymentIntent %s for %s %s created for %s: %s", intent.getId(), amount, currency, userId,
                    intent.getStatus());
        }
        PaymentRow recorded = store.payment(intent.getId()).orElseThrow();
        return view(recorded);
    }

    /** The user's payments, newest first. */
    public List<Payment> history(UUID userId) {
        return store.paymentsOf(userId).stream().map(StripePayments::view).toList();
    }

    /** {@code payment_intent.succeeded}: credits a PaymentIntent Tollgate created, once. */
    StripeWebhooks.Received succeeded(JsonNode intent) {
        String id = intent.path("id").asText("");
        String currency = intent.path("currency").asText("");
        long minor = intent.path("amount_received").asLong(0);
        Optional<UUID> user = store.payment(id).map(PaymentRow::userId).or(() -> ownCustomersUser(intent));
        if (user.isEmpty()) {
            LOG.warnf("Webhook for PaymentIntent %s, which Tollgate did not create: ignored", id);
            return new StripeWebhooks.Received(true, "unknown payment intent " + id);
        }
        if (!currency.equals(ledger.currency()) || minor <= 0) {
            LOG.errorf("PaymentIntent %s received %d %s, not creditable in %s", id, minor, currency,
                    ledger.currency());
            return new StripeWebhooks.Received(true, "payment intent " + id + " has no creditable amount");
        }
        long micros = StripeFormats.microsOfMinor(minor, currency);
        // before Stripe answered the creation: record it here, so that the answer finds it
        store.savePayment(new PaymentRow(id, user.get(), "succeeded", micros, currency, Instant.now()));
        Ledger.Posted posted = ledger.post("topup", "stripe:payment_intent:" + id, "Payment " + id, null, List.of(
                new Ledger.Leg(AccountKind.CONSUMER_WALLET, user.get(), micros),
                new Ledger.Leg(AccountKind.STRIPE_CLEARING, null, -micros)));
        store.markPaymentSucceeded(id);
        if (!posted.replayed()) {
            notifications.notify(StripeTopUps.credited(user.get(), micros, ledger.currency(), id));
        }
        return new StripeWebhooks.Received(true, posted.replayed() ? "already credited" : "credited");
    }

    /**
     * {@code payment_intent.payment_failed} of a saved-card payment Tollgate made (also one Stripe declined while
     * Tollgate was creating it): nothing is credited; its history shows it failed and the user is told, once per
     * PaymentIntent. PaymentIntents behind Checkout sessions are left alone: their payer is on Stripe's page and may
     * retry there.
     */
    StripeWebhooks.Received failed(JsonNode intent) {
        String id = intent.path("id").asText("");
        Optional<UUID> user = store.payment(id).map(PaymentRow::userId).or(() -> ownCustomersUser(intent));
        if (user.isEmpty()) {
            return new StripeWebhooks.Received(true, "payment intent " + id + " is not a Tollgate wallet payment");
        }
        String currency = intent.path("currency").asText(ledger.currency()).toLowerCase(Locale.ROOT);
        long micros = currency.equals(ledger.currency())
                ? StripeFormats.microsOfMinor(intent.path("amount").asLong(0), currency)
                : 0;
        if (micros > 0) {
            // declined while being created: Tollgate has not recorded it yet; the history shows it failed
            store.savePayment(new PaymentRow(id, user.get(), "failed", micros, currency, Instant.now()));
        }
        store.markPaymentFailed(id);
        JsonNode error = intent.path("last_payment_error");
        String reason = error.path("decline_code").asText(error.path("code").asText(""));
        notifications.notify(StripeTopUps.topUpFailed(user.get(), micros, ledger.currency(), id,
                reason.isEmpty() ? null : reason.replace('_', ' ')));
        return new StripeWebhooks.Received(true, "payment intent " + id + " failed; the user is told");
    }

    /**
     * The user a PaymentIntent's metadata names, if it is a saved-card payment Tollgate made (marked with its purpose,
     * so the intents behind Checkout sessions, which are credited by their session, are never credited here too)
     * and its customer is the one Tollgate created for that user (so a PaymentIntent made outside Tollgate, or naming
     * someone else's user id, credits nobody).
     */
    private Optional<UUID> ownCustomersUser(JsonNode intent) {
        if (!WALLET_PAYMENT.equals(intent.path("metadata").path(PURPOSE).asText(""))) {
            return Optional.empty();
        }
        UUID userId;
        try {
            userId = UUID.fromString(intent.path("metadata").path("tollgate_user_id").asText(""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String customer = intent.path("customer").isObject()
                ? intent.path("customer").path("id").asText("")
                : intent.path("customer").asText("");
        return store.customerOf(userId).filter(customer::equals).map(c -> userId);
    }

    /** Stripe's idempotency key for a client's key: per user, so two users' keys never meet. */
    private static String stripeKey(UUID userId, String clientKey) {
        if (clientKey == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((userId + ":" + clientKey)
                    .getBytes(StandardCharsets.UTF_8));
            return "tollgate-payment-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Payment view(PaymentRow row) {
        return new Payment(row.paymentIntentId(), row.status(), Money.fromMicros(row.amount()), row.currency(),
                row.createdAt());
    }

    /** An uncertain payment: the client retries it with the same Idempotency-Key. */
    private static final class StripeOutcomeUnknownPayment extends ProblemException {
        StripeOutcomeUnknownPayment() {
            super(504, "Gateway Timeout", "Stripe did not confirm the payment in time: the card may or may not have"
                    + " been charged. Send the same request again with the same Idempotency-Key header to learn the"
                    + " outcome without paying twice; without one, check GET /api/v1/payments/history before paying"
                    + " again.");
        }
    }
}
