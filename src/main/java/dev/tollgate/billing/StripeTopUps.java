package dev.tollgate.billing;

import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import com.stripe.param.checkout.SessionCreateParams;

import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import io.agroal.api.AgroalDataSource;

/**
 * Prepaid credit through Stripe Checkout: Tollgate creates a Checkout Session for an amount, Stripe takes the
 * payment, and the signed {@code checkout.session.completed} webhook credits the wallet — once per session, however
 * often or in whatever order Stripe delivers it, and only for sessions Tollgate created.
 */
@ApplicationScoped
public class StripeTopUps {

    private static final Logger LOG = Logger.getLogger(StripeTopUps.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final BigDecimal MIN_TOP_UP = new BigDecimal("1");
    static final BigDecimal MAX_TOP_UP = new BigDecimal("10000");

    /** A created session: where to send the user. */
    public record Checkout(String sessionId, String url) {
    }

    /** What a webhook delivery did. */
    public record Received(boolean received, String outcome) {
    }

    private final Ledger ledger;
    private final AgroalDataSource dataSource;
    private final StripeAccess stripe;
    private final StripePayments payments;

    StripeTopUps(Ledger ledger, AgroalDataSource dataSource, StripeAccess stripe, StripePayments payments) {
        this.ledger = ledger;
        this.dataSource = dataSource;
        this.stripe = stripe;
        this.payments = payments;
    }

    public Checkout checkout(UUID userId, BigDecimal amount, String successUrl, String cancelUrl) {
        List<FieldError> errors = new ArrayList<>();
        if (amount == null || amount.compareTo(MIN_TOP_UP) < 0 || amount.compareTo(MAX_TOP_UP) > 0) {
            errors.add(new FieldError("amount", "must be " + MIN_TOP_UP + " to " + MAX_TOP_UP));
        } else if (amount.stripTrailingZeros().scale() > minorDigits()) {
            errors.add(new FieldError("amount", "must have at most " + minorDigits() + " decimals"));
        }
        url(errors, "success_url", successUrl);
        url(errors, "cancel_url", cancelUrl);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        StripeClient client = stripe.client();
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
        Session session;
        try {
            session = client.v1().checkout().sessions().create(params);
        } catch (StripeException e) {
            LOG.errorf("Stripe refused a Checkout Session: %s", e.getMessage());
            throw StripeAccess.refused("start the payment", e);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into stripe_checkouts (session_id, user_id,"
                        + " mode, amount, currency, status, created_at) values (?, ?, 'payment', ?, ?, 'open', ?)")) {
            insert.setString(1, session.getId());
            insert.setObject(2, userId);
            insert.setLong(3, Money.toMicros(amount));
            insert.setString(4, ledger.currency());
            insert.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Recording the Checkout Session failed", e);
        }
        LOG.infof("Checkout Session %s for %s %s created for %s", session.getId(), amount, ledger.currency(),
                userId);
        return new Checkout(session.getId(), session.getUrl());
    }

    /**
     * Verifies and handles a webhook delivery.
     *
     * @throws ProblemException 400 for a missing or wrong signature (nothing changes), 503 when not configured
     */
    public Received webhook(String payload, String signature) {
        String secret = stripe.webhookSecret();
        if (signature == null || signature.isBlank()) {
            throw ProblemException.badRequest("The Stripe-Signature header is missing.");
        }
        try {
            Webhook.Signature.verifyHeader(payload, signature, secret, Webhook.DEFAULT_TOLERANCE);
        } catch (SignatureVerificationException e) {
            LOG.warnf("Rejected a webhook with a bad signature: %s", e.getMessage());
            throw ProblemException.badRequest("The Stripe-Signature does not match this payload.");
        }
        JsonNode event;
        try {
            event = JSON.readTree(payload);
        } catch (Exception e) {
            throw ProblemException.badRequest("The webhook payload is not JSON.");
        }
        String type = event.path("type").asText("");
        JsonNode object = event.path("data").path("object");
        return switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> completed(object);
            case "payment_intent.succeeded" -> payments.succeeded(object);
            default -> new Received(true, "ignored " + (type.isEmpty() ? "an event without type" : type));
        };
    }

    private Received completed(JsonNode session) {
        String sessionId = session.path("id").asText("");
        if (!"paid".equals(session.path("payment_status").asText())) {
            return new Received(true, "session " + sessionId + " is not paid yet");
        }
        Optional<UUID> user = checkoutUser(sessionId);
        if (user.isEmpty()) {
            LOG.warnf("Webhook for Checkout Session %s, which Tollgate did not create: ignored", sessionId);
            return new Received(true, "unknown session " + sessionId);
        }
        String currency = session.path("currency").asText(ledger.currency()).toLowerCase(Locale.ROOT);
        long minor = session.path("amount_total").asLong(0);
        if (!currency.equals(ledger.currency()) || minor <= 0) {
            LOG.errorf("Checkout Session %s paid %d %s, not creditable in %s", sessionId, minor, currency,
                    ledger.currency());
            return new Received(true, "session " + sessionId + " has no creditable amount");
        }
        long micros = StripeAccess.microsOfMinor(minor, currency);
        Ledger.Posted posted = ledger.post("topup", "stripe:checkout:" + sessionId, "Top-up via Stripe Checkout "
                + sessionId, null,
                List.of(new Ledger.Leg(AccountKind.CONSUMER_WALLET, user.get(), micros),
                        new Ledger.Leg(AccountKind.STRIPE_CLEARING, null, -micros)));
        markCompleted(sessionId);
        return new Received(true, posted.replayed() ? "already credited" : "credited");
    }

    private Optional<UUID> checkoutUser(String sessionId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "select user_id from stripe_checkouts where session_id = ? and mode = 'payment'")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading Checkout Sessions failed", e);
        }
    }

    private void markCompleted(String sessionId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("update stripe_checkouts set status = 'completed',"
                        + " completed_at = ? where session_id = ? and status <> 'completed'")) {
            update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            update.setString(2, sessionId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Updating a Checkout Session failed", e);
        }
    }

    private int minorDigits() {
        return StripeAccess.minorDigits(ledger.currency());
    }

    private static void url(List<FieldError> errors, String field, String value) {
        try {
            URI uri = value == null ? null : URI.create(value);
            if (uri == null || uri.getHost() == null
                    || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                errors.add(new FieldError(field, "must be an absolute http(s) URL"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be an absolute http(s) URL"));
        }
    }
}
