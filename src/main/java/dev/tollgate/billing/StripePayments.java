package dev.tollgate.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.CardException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.SetupIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.SetupIntentCreateParams;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.billing.store.StripeStore;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;

/**
 * Saved payment methods and direct payments: a Stripe customer per user, a SetupIntent to save a card, and
 * PaymentIntents charged off-session on a saved method. The wallet is credited by the signed
 * {@code payment_intent.succeeded} webhook, once per PaymentIntent Tollgate created.
 */
@ApplicationScoped
public class StripePayments {

    private static final Logger LOG = Logger.getLogger(StripePayments.class);

    public record Setup(String customerId, String setupIntentId, String clientSecret) {
    }

    public record Payment(String paymentIntentId, String status, BigDecimal amount, String currency,
            Instant createdAt) {
    }

    private final StripeAccess stripe;
    private final Ledger ledger;
    private final StripeStore store;
    private final UserDirectory users;

    StripePayments(StripeAccess stripe, Ledger ledger, StripeStore store, UserDirectory users) {
        this.stripe = stripe;
        this.ledger = ledger;
        this.store = store;
        this.users = users;
    }

    /** Creates (once) the user's Stripe customer and a SetupIntent whose client secret the browser confirms. */
    public Setup setup(UUID userId) {
        String email = users.get(userId).email();
        String customer = store.customerOf(userId).orElse(null);
        try {
            if (customer == null) {
                // the idempotency key makes concurrent first set-ups of one user get the same Stripe customer
                Customer created = stripe.client().v1().customers().create(CustomerCreateParams.builder()
                        .setEmail(email).putMetadata("tollgate_user_id", userId.toString()).build(),
                        RequestOptions.builder().setIdempotencyKey("tollgate-customer-" + userId).build());
                customer = created.getId();
                store.saveCustomer(userId, customer);
                customer = store.customerOf(userId).orElse(customer);
            }
            SetupIntent intent = stripe.client().v1().setupIntents().create(SetupIntentCreateParams.builder()
                    .setCustomer(customer).setUsage(SetupIntentCreateParams.Usage.OFF_SESSION)
                    .putMetadata("tollgate_user_id", userId.toString()).build());
            return new Setup(customer, intent.getId(), intent.getClientSecret());
        } catch (StripeException e) {
            throw StripeAccess.refused("set up the payment method", e);
        }
    }

    /** Charges a saved payment method off-session; the credit arrives with the webhook. */
    public Payment process(UUID userId, BigDecimal amount, String paymentMethodId) {
        if (amount == null || amount.compareTo(StripeTopUps.MIN_TOP_UP) < 0
                || amount.compareTo(StripeTopUps.MAX_TOP_UP) > 0) {
            throw ProblemException.invalid("amount", "must be " + StripeTopUps.MIN_TOP_UP + " to "
                    + StripeTopUps.MAX_TOP_UP);
        }
        int digits = StripeAccess.minorDigits(ledger.currency());
        if (amount.stripTrailingZeros().scale() > digits) {
            throw ProblemException.invalid("amount", "must have at most " + digits + " decimals");
        }
        if (paymentMethodId == null || !paymentMethodId.matches("pm_[A-Za-z0-9_]{1,250}")) {
            throw ProblemException.invalid("payment_method_id", "is required: the id (pm_…) of a method saved "
                    + "with POST /api/v1/payments/setup");
        }
        String customer = store.customerOf(userId).orElseThrow(() -> ProblemException.invalid("payment_method_id",
                "no saved payment method: call POST /api/v1/payments/setup first"));
        PaymentIntent intent;
        try {
            intent = stripe.client().v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                    .setAmount(amount.movePointRight(digits).longValueExact()).setCurrency(ledger.currency())
                    .setCustomer(customer).setPaymentMethod(paymentMethodId).setConfirm(true).setOffSession(true)
                    .putMetadata("tollgate_user_id", userId.toString()).build());
        } catch (CardException e) {
            throw new ProblemException(402, "Payment Required", "The card was declined: " + e.getMessage());
        } catch (StripeException e) {
            throw StripeAccess.refused("take the payment", e);
        }
        Instant now = Instant.now();
        store.update(
                "insert into stripe_payments (payment_intent_id, user_id, amount, currency, status, created_at) values"
                        + " (?, ?, ?, ?, ?, ?)",
                intent.getId(), userId, Money.toMicros(amount), ledger.currency(),
                intent.getStatus(), now);
        LOG.infof("PaymentIntent %s for %s %s created for %s: %s", intent.getId(), amount, ledger.currency(), userId,
                intent.getStatus());
        return new Payment(intent.getId(), intent.getStatus(), amount, ledger.currency(), now);
    }

    /** The user's payments, newest first. */
    public List<Payment> history(UUID userId) {
        return store.list("select payment_intent_id, status, amount, currency, created_at from stripe_payments"
                + " where user_id = ? order by created_at desc",
                rs -> new Payment(rs.getString(1), rs.getString(2),
                        Money.fromMicros(rs.getLong(3)), rs.getString(4), StripeStore.instant(rs, 5)),
                userId);
    }

    /** {@code payment_intent.succeeded}: credits a PaymentIntent Tollgate created, once. */
    StripeWebhooks.Received succeeded(JsonNode intent) {
        String id = intent.path("id").asText("");
        Optional<UUID> user = paymentUser(id);
        if (user.isEmpty()) {
            return new StripeWebhooks.Received(true, "unknown payment intent " + id);
        }
        String currency = intent.path("currency").asText("");
        long minor = intent.path("amount_received").asLong(0);
        if (!currency.equals(ledger.currency()) || minor <= 0) {
            return new StripeWebhooks.Received(true, "payment intent " + id + " has no creditable amount");
        }
        long micros = StripeAccess.microsOfMinor(minor, currency);
        Ledger.Posted posted = ledger.post("topup", "stripe:payment_intent:" + id, "Payment " + id, null, List.of(
                new Ledger.Leg(AccountKind.CONSUMER_WALLET, user.get(), micros),
                new Ledger.Leg(AccountKind.STRIPE_CLEARING, null, -micros)));
        store.update("update stripe_payments set status = 'succeeded', succeeded_at = ? where payment_intent_id = ?",
                Instant.now(), id);
        return new StripeWebhooks.Received(true, posted.replayed() ? "already credited" : "credited");
    }

    private Optional<UUID> paymentUser(String paymentIntentId) {
        return store.one("select user_id from stripe_payments where payment_intent_id = ?", UUID.class,
                paymentIntentId);
    }
}
