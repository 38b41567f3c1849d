package dev.tollgate.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.model.Invoice;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;

import dev.tollgate.accounts.Tier;
import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.billing.StripeWebhooks.Received;
import dev.tollgate.billing.store.StripeStore;
import dev.tollgate.billing.store.StripeStore.SubscriptionRow;
import dev.tollgate.billing.stripe.StripeApi;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * Account tiers (pro, enterprise) sold as monthly Stripe subscriptions. Checkout starts one; Stripe's webhooks
 * ({@code checkout.session.completed}, {@code customer.subscription.*}, {@code invoice.paid},
 * {@code invoice.payment_failed}) keep Tollgate's copy current, and the user's tier follows it: a subscription that
 * is active, trialing or past due (Stripe is still retrying the card) grants its tier; when it is canceled, unpaid
 * or never completed the account is back on free.
 */
@ApplicationScoped
public class StripeSubscriptions {

    private static final Logger LOG = Logger.getLogger(StripeSubscriptions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Statuses in which a subscription grants its tier. */
    static final Set<String> LIVE = Set.of("active", "trialing", "past_due");

    /** The account tier's Stripe subscription (named apart from API plan subscriptions in the OpenAPI document). */
    @Schema(name = "TierSubscriptionView")
    public record SubscriptionView(String id, String tier, String status, Instant currentPeriodStart,
            Instant currentPeriodEnd, boolean cancelAtPeriodEnd, Instant canceledAt, BigDecimal price,
            String currency) {
    }

    public record InvoiceView(String id, BigDecimal amountDue, BigDecimal amountPaid, String currency, String status,
            Instant created, String invoicePdf, String hostedInvoiceUrl) {
    }

    private final StripeApi stripe;
    private final StripeStore store;
    private final UserDirectory users;
    private final Ledger ledger;
    private final Map<Tier, BigDecimal> prices;

    private final Notifications notifications;

    StripeSubscriptions(StripeApi stripe, StripeStore store, UserDirectory users, Ledger ledger,
            BillingConfig config, Notifications notifications) {
        this.notifications = notifications;
        this.stripe = stripe;
        this.store = store;
        this.users = users;
        this.ledger = ledger;
        this.prices = parsePrices(config.tierPrices());
        int digits = StripeFormats.minorDigits(ledger.currency());
        prices.forEach((tier, price) -> {
            if (price.stripTrailingZeros().scale() > digits) {
                throw new IllegalArgumentException("TOLLGATE_TIER_PRICES: the " + tier.id() + " price " + price
                        + " has more than " + digits + " decimals");
            }
        });
    }

    /** {@code pro:29,enterprise:299} → monthly prices of the paid tiers. */
    static Map<Tier, BigDecimal> parsePrices(String spec) {
        Map<Tier, BigDecimal> prices = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] pair = part.trim().split(":");
            Optional<Tier> tier = pair.length == 2 ? Tier.parse(pair[0].trim()) : Optional.empty();
            BigDecimal price;
            try {
                price = pair.length == 2 ? new BigDecimal(pair[1].trim()) : null;
            } catch (NumberFormatException e) {
                price = null;
            }
            if (tier.isEmpty() || tier.get() == Tier.FREE || price == null || price.signum() <= 0) {
                throw new IllegalArgumentException("TOLLGATE_TIER_PRICES: '" + part.trim() + "' is not <tier>:<monthly "
                        + "price> with tier pro or enterprise and a positive price");
            }
            prices.put(tier.get(), price);
        }
        return Collections.unmodifiableMap(prices);
    }

    /** Monthly prices of the tiers on sale. */
    public Map<Tier, BigDecimal> prices() {
        return prices;
    }

    /** A Checkout Session in subscription mode for a paid tier. */
    public StripeTopUps.Checkout checkout(UUID userId, String tierId, String successUrl, String cancelUrl) {
        List<FieldError> errors = new ArrayList<>();
        Tier tier = Tier.parse(tierId == null ? "" : tierId.trim().toLowerCase(Locale.ROOT))
                .filter(prices::containsKey).orElse(null);
        if (tier == null) {
            errors.add(new FieldError("tier", "must be one of " + String.join(", ",
                    prices.keySet().stream().map(Tier::id).toList())));
        }
        StripeFormats.checkUrl(errors, "success_url", successUrl);
        StripeFormats.checkUrl(errors, "cancel_url", cancelUrl);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Optional<SubscriptionRow> live = live(userId);
        if (live.isPresent()) {
            throw ProblemException.conflict("You already have a " + live.get().tier() + " subscription ("
                    + live.get().status() + "); cancel it before buying another tier.");
        }
        BigDecimal price = prices.get(tier);
        String currency = ledger.currency();
        int digits = StripeFormats.minorDigits(currency);
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION).setSuccessUrl(successUrl).setCancelUrl(cancelUrl)
                .setClientReferenceId(userId.toString()).putMetadata("tollgate_user_id", userId.toString())
                .putMetadata("tollgate_tier", tier.id())
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                        .putMetadata("tollgate_user_id", userId.toString()).putMetadata("tollgate_tier", tier.id())
                        .build())
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency(currency)
                                .setUnitAmount(price.movePointRight(digits).longValueExact())
                                .setRecurring(SessionCreateParams.LineItem.PriceData.Recurring.builder()
                                        .setInterval(SessionCreateParams.LineItem.PriceData.Recurring.Interval.MONTH)
                                        .build())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Tollgate " + tier.id() + " tier").build())
                                .build())
                        .build());
        Optional<String> customer = store.customerOf(userId);
        if (customer.isPresent()) {
            params.setCustomer(customer.get());
        } else {
            params.setCustomerEmail(users.get(userId).email());
        }
        SessionCreateParams session = params.build();
        Session created = stripe.call("start the subscription", null,
                (client, options) -> client.v1().checkout().sessions().create(session, options));
        store.saveCheckout(new StripeStore.CheckoutRow(created.getId(), userId, "subscription", tier.id(),
                Money.toMicros(price), currency));
        LOG.infof("Subscription Checkout Session %s for the %s tier created for %s", created.getId(), tier.id(),
                userId);
        return new StripeTopUps.Checkout(created.getId(), created.getUrl());
    }

    /** The user's current subscription (the live one, else the latest). */
    public SubscriptionView current(UUID userId) {
        List<SubscriptionRow> all = store.subscriptionsOf(userId);
        return all.stream().filter(s -> LIVE.contains(s.status())).findFirst().or(() -> all.stream().findFirst())
                .map(StripeSubscriptions::view).orElseThrow(() -> ProblemException.notFound("You have no platform "
                        + "subscription; start one with POST /api/v1/billing/checkout {tier}."));
    }

    /** Cancels at the end of the paid period, or at once (the tier drops to free now). */
    public SubscriptionView cancel(UUID userId, boolean immediately) {
        SubscriptionRow row = live(userId).orElseThrow(() -> ProblemException.notFound("You have no active "
                + "platform subscription to cancel."));
        Subscription updated = stripe.call("cancel the subscription", null, (client, options) -> immediately
                ? client.v1().subscriptions().cancel(row.subscriptionId(), options)
                : client.v1().subscriptions().update(row.subscriptionId(),
                        SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(true).build(), options));
        LOG.infof("Subscription %s of %s canceled %s", row.subscriptionId(), userId,
                immediately ? "immediately" : "at the period end");
        return fromApi(row, updated);
    }

    /** Undoes a cancellation at the period end while the period lasts. */
    public SubscriptionView reactivate(UUID userId) {
        SubscriptionRow row = live(userId).orElseThrow(() -> ProblemException.conflict("You have no subscription "
                + "that can be reactivated: an ended subscription cannot come back; start a new one with POST "
                + "/api/v1/billing/checkout {tier}."));
        if (!row.cancelAtPeriodEnd()) {
            throw ProblemException.conflict("Your " + row.tier() + " subscription is not canceled.");
        }
        Subscription updated = stripe.call("reactivate the subscription", null,
                (client, options) -> client.v1().subscriptions().update(row.subscriptionId(),
                        SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(false).build(), options));
        LOG.infof("Subscription %s of %s reactivated", row.subscriptionId(), userId);
        return fromApi(row, updated);
    }

    /** The user's Stripe invoices, newest first. */
    public List<InvoiceView> invoices(UUID userId, int limit) {
        Optional<String> customer = store.customerOf(userId);
        if (customer.isEmpty()) {
            stripe.requireConfigured(); // 503 when payments are not configured, as for every Stripe endpoint
            return List.of();
        }
        InvoiceListParams params = InvoiceListParams.builder().setCustomer(customer.get()).setLimit((long) limit)
                .build();
        return stripe.call("list the invoices", null, (client, options) -> client.v1().invoices().list(params,
                options)).getData().stream().map(StripeSubscriptions::invoiceView).toList();
    }

    // --- webhooks ---------------------------------------------------------------------------------

    /** {@code checkout.session.completed} in subscription mode: links the subscription to the user. */
    Received sessionCompleted(JsonNode session) {
        String sessionId = session.path("id").asText("");
        Optional<StripeStore.CheckoutRow> found = store.checkout(sessionId, "subscription");
        if (found.isEmpty()) {
            LOG.warnf("Webhook for subscription Checkout Session %s, which Tollgate did not create: ignored",
                    sessionId);
            return new Received(true, "unknown session " + sessionId);
        }
        StripeStore.CheckoutRow checkout = found.get();
        UUID userId = checkout.userId();
        String subscriptionId = text(session, "subscription");
        String customerId = text(session, "customer");
        if (subscriptionId == null) {
            return new Received(true, "session " + sessionId + " has no subscription yet");
        }
        if (customerId != null) {
            store.saveCustomer(userId, customerId);
        }
        boolean paid = "paid".equals(session.path("payment_status").asText());
        // event time 0: whatever Stripe reports about the subscription itself wins over this first sketch
        store.saveIfAbsent(new SubscriptionRow(subscriptionId, userId, customerId, checkout.tier(),
                paid ? "active" : "incomplete", checkout.amount(), checkout.currency(), null, null, false, null, 0,
                Instant.now()));
        store.markCheckoutCompleted(sessionId);
        applyTier(userId, "subscription " + subscriptionId + " checked out");
        return new Received(true, "subscription " + subscriptionId + " recorded");
    }

    /** {@code customer.subscription.created/updated/deleted}. */
    Received subscriptionChanged(String type, JsonNode subscription, long eventAt) {
        String id = subscription.path("id").asText("");
        Optional<SubscriptionRow> known = store.subscription(id);
        SubscriptionRow row = known.map(r -> state(r, subscription, type.endsWith(".deleted"), eventAt))
                .or(() -> firstSight(subscription, eventAt)).orElse(null);
        if (row == null) {
            return new Received(true, "subscription " + id + " is not a Tollgate tier");
        }
        if (!store.saveIfNewer(row)) {
            return new Received(true, "subscription " + id + ": a newer state is already known");
        }
        applyTier(row.userId(), "subscription " + id + " is " + row.status());
        return new Received(true, "subscription " + id + " is " + row.status());
    }

    /** {@code invoice.paid} (the subscription is active) and {@code invoice.payment_failed} (past due). */
    Received invoiceEvent(String type, JsonNode invoice, long eventAt) {
        String subscriptionId = text(invoice, "subscription");
        if (subscriptionId == null) {
            subscriptionId = text(invoice.path("parent").path("subscription_details"), "subscription");
        }
        Optional<SubscriptionRow> known = subscriptionId == null
                ? Optional.empty()
                : store.subscription(subscriptionId);
        JsonNode details = invoice.path("parent").path("subscription_details");
        JsonNode metadata = details.path("metadata").isObject()
                ? details.path("metadata")
                : invoice.path("subscription_details").path("metadata");
        UUID payer = known.map(SubscriptionRow::userId).orElseGet(() -> {
            try {
                return UUID.fromString(metadata.path("tollgate_user_id").asText(""));
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
        if (payer == null) {
            return new Received(true, "invoice " + invoice.path("id").asText("") + " is not for a Tollgate tier");
        }
        String revenue = type.equals("invoice.paid") ? recordRevenue(invoice, payer) : "";
        if (type.equals("invoice.payment_failed")) {
            paymentFailed(invoice, payer, known.map(SubscriptionRow::tier)
                    .orElse(metadata.path("tollgate_tier").asText("")));
        }
        if (known.isEmpty()) {
            // paid before Tollgate heard of the subscription: its own events will set the status
            return new Received(true, "invoice for subscription " + subscriptionId + revenue);
        }
        SubscriptionRow row = known.get();
        if (!LIVE.contains(row.status()) && !"incomplete".equals(row.status())) {
            return new Received(true, "subscription " + subscriptionId + " already ended");
        }
        String status = type.equals("invoice.paid") ? "active" : "past_due";
        if (!store.saveIfNewer(row.withStatus(status, eventAt))) {
            return new Received(true, "subscription " + subscriptionId + ": a newer state is already known"
                    + revenue);
        }
        if ("past_due".equals(status)) {
            LOG.warnf("Payment for subscription %s of %s failed: past due while Stripe retries", subscriptionId,
                    row.userId());
        }
        applyTier(row.userId(), "invoice for subscription " + subscriptionId + (status.equals("active")
                ? " paid"
                : " failed"));
        return new Received(true, "subscription " + subscriptionId + " is " + status + revenue);
    }

    /**
     * Tells the payer that Stripe could not collect a tier invoice, once per invoice (Stripe's later retries of the
     * same invoice tell nothing new; whether the tier lapses is told by {@code tier_changed}).
     */
    private void paymentFailed(JsonNode invoice, UUID payer, String tier) {
        String id = invoice.path("id").asText("");
        if (id.isEmpty()) {
            return;
        }
        String currency = invoice.path("currency").asText("").toLowerCase(Locale.ROOT);
        long minor = invoice.path("amount_due").asLong(0);
        String amount = minor > 0 && !currency.isEmpty()
                ? Money.fromMicros(StripeFormats.microsOfMinor(minor, currency)).toPlainString() + " " + currency
                : "The payment";
        String what = tier.isEmpty() ? "your account tier" : "the " + tier + " tier";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("invoice_id", id);
        metadata.put("tier", tier);
        if (invoice.hasNonNull("hosted_invoice_url")) {
            metadata.put("invoice_url", invoice.path("hosted_invoice_url").asText());
        }
        notifications.notify(new Notifications.Notice(payer, "payment_failed", "Payment failed for " + what,
                amount + " for " + what + " (invoice " + id + ") could not be collected. Stripe retries it; update "
                        + "your payment method to keep the tier.",
                "/api/v1/billing/invoices", metadata, "payment_failed:" + id));
    }

    /**
     * Books a paid tier invoice as platform revenue (Stripe clearing to platform revenue), once per invoice.
     *
     * @return what was booked, for the webhook's outcome
     */
    private String recordRevenue(JsonNode invoice, UUID payer) {
        String id = invoice.path("id").asText("");
        long minor = invoice.path("amount_paid").asLong(0);
        String currency = invoice.path("currency").asText("").toLowerCase(Locale.ROOT);
        if (minor <= 0 || id.isEmpty()) {
            return "";
        }
        if (!currency.equals(ledger.currency())) {
            LOG.errorf("Tier invoice %s was paid in %s, not in %s: not booked", id, currency, ledger.currency());
            return "; not booked (currency " + currency + ")";
        }
        long micros = StripeFormats.microsOfMinor(minor, currency);
        Ledger.Posted posted = ledger.post("subscription", "stripe:invoice:" + id, "Account tier paid: Stripe invoice "
                + id, payer,
                List.of(new Ledger.Leg(AccountKind.STRIPE_CLEARING, null, -micros),
                        new Ledger.Leg(AccountKind.PLATFORM_REVENUE, null, micros)));
        return posted.replayed() ? "; revenue already booked" : "; revenue booked";
    }

    // --- internals --------------------------------------------------------------------------------

    private Optional<SubscriptionRow> live(UUID userId) {
        return store.subscriptionsOf(userId).stream().filter(s -> LIVE.contains(s.status())).findFirst();
    }

    /** The tier follows the user's live subscription, or is free without one. */
    private void applyTier(UUID userId, String why) {
        Tier tier = live(userId).flatMap(s -> Tier.parse(s.tier())).orElse(Tier.FREE);
        if (users.setTier(userId, tier, why)) {
            notifications.notify(new Notifications.Notice(userId, "tier_changed", "Your account is now on the "
                    + tier.id() + " tier", "Changed because: " + why + ".", "/api/v1/billing/subscription",
                    Map.of("tier", tier.id()), "tier:" + userId + ":" + tier.id() + ":" + System.currentTimeMillis()));
        }
    }

    /** Saves the state Stripe answered with (newer than any event so far) and returns it. */
    private SubscriptionView fromApi(SubscriptionRow row, Subscription answered) {
        JsonNode json;
        try {
            json = JSON.readTree(answered.getLastResponse().body());
        } catch (Exception e) {
            throw new IllegalStateException("Stripe's subscription is not JSON", e);
        }
        SubscriptionRow next = state(row, json, false, Math.max(row.eventAt(), Instant.now().getEpochSecond()));
        store.saveIfNewer(next);
        applyTier(row.userId(), "subscription " + row.subscriptionId() + " is " + next.status()
                + (next.cancelAtPeriodEnd() ? ", ending at the period end" : ""));
        return store.subscription(row.subscriptionId()).map(StripeSubscriptions::view).orElseThrow();
    }

    /** A subscription Tollgate has not seen, accepted when its metadata names a Tollgate user and a paid tier. */
    private Optional<SubscriptionRow> firstSight(JsonNode subscription, long eventAt) {
        JsonNode metadata = subscription.path("metadata");
        Optional<Tier> tier = Tier.parse(metadata.path("tollgate_tier").asText("")).filter(prices::containsKey);
        UUID userId;
        try {
            userId = UUID.fromString(metadata.path("tollgate_user_id").asText(""));
            users.get(userId);
        } catch (IllegalArgumentException | ProblemException e) {
            return Optional.empty();
        }
        if (tier.isEmpty()) {
            return Optional.empty();
        }
        JsonNode price = subscription.path("items").path("data").path(0).path("price");
        String currency = price.path("currency").asText(ledger.currency()).toLowerCase(Locale.ROOT);
        long unitAmount = price.path("unit_amount").asLong(-1);
        long micros = unitAmount >= 0
                ? StripeFormats.microsOfMinor(unitAmount, currency)
                : Money.toMicros(prices.get(tier.get()));
        SubscriptionRow sketch = new SubscriptionRow(subscription.path("id").asText(), userId, null, tier.get().id(),
                "incomplete", micros, currency, null, null, false, null, eventAt, Instant.now());
        return Optional.of(state(sketch, subscription, false, eventAt));
    }

    /** The known row updated with what a Stripe subscription object says. */
    private static SubscriptionRow state(SubscriptionRow row, JsonNode s, boolean deleted, long eventAt) {
        JsonNode item = s.path("items").path("data").path(0);
        Instant start = seconds(s.has("current_period_start")
                ? s.path("current_period_start")
                : item.path("current_period_start"));
        Instant end = seconds(s.has("current_period_end")
                ? s.path("current_period_end")
                : item.path("current_period_end"));
        String status = deleted ? "canceled" : s.path("status").asText(row.status());
        Instant canceledAt = seconds(s.path("canceled_at"));
        if (deleted && canceledAt == null) {
            canceledAt = seconds(s.path("ended_at"));
        }
        String customer = text(s, "customer");
        return new SubscriptionRow(row.subscriptionId(), row.userId(), customer == null ? row.customerId() : customer,
                row.tier(), status, row.price(), row.currency(), start == null ? row.periodStart() : start,
                end == null ? row.periodEnd() : end, s.path("cancel_at_period_end").asBoolean(false),
                canceledAt, eventAt, row.createdAt());
    }

    private static SubscriptionView view(SubscriptionRow s) {
        return new SubscriptionView(s.subscriptionId(), s.tier(), s.status(), s.periodStart(), s.periodEnd(),
                s.cancelAtPeriodEnd(), s.canceledAt(), Money.fromMicros(s.price()), s.currency());
    }

    private static InvoiceView invoiceView(Invoice invoice) {
        String currency = invoice.getCurrency() == null ? "" : invoice.getCurrency();
        return new InvoiceView(invoice.getId(), minor(invoice.getAmountDue(), currency),
                minor(invoice.getAmountPaid(), currency), currency, invoice.getStatus(),
                invoice.getCreated() == null ? null : Instant.ofEpochSecond(invoice.getCreated()),
                invoice.getInvoicePdf(), invoice.getHostedInvoiceUrl());
    }

    private static BigDecimal minor(Long amount, String currency) {
        return Money.fromMicros(StripeFormats.microsOfMinor(amount == null ? 0 : amount, currency));
    }

    /** A field that is an id, or an expanded object with an id. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isObject()) {
            value = value.path("id");
        }
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static Instant seconds(JsonNode value) {
        return value.isNumber() ? Instant.ofEpochSecond(value.asLong()) : null;
    }
}
