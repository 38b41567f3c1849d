package dev.tollgate.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.billing.store.LedgerStore;
import dev.tollgate.billing.store.PayoutEntity;
import dev.tollgate.billing.stripe.StripeOutcomeUnknown;
import dev.tollgate.billing.stripe.StripeRefused;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Providers' earnings and their payouts. Requesting a payout moves the amount from the provider's earnings to their
 * pending payouts (so it cannot be spent twice); an admin approves it (a Stripe Connect transfer to the provider's
 * account, or a payment made by hand with its reference; the money leaves through the Stripe clearing account) or
 * rejects it (the amount goes back to the earnings).
 */
@ApplicationScoped
public class Payouts {

    private static final Logger LOG = Logger.getLogger(Payouts.class);

    public record PayoutView(UUID id, UUID providerId, BigDecimal amount, String currency, String status,
            String reference, String note, Instant createdAt, Instant decidedAt) {
    }

    public record ApiEarnings(UUID apiId, String apiSlug, String apiName, BigDecimal earned) {
    }

    public record MonthEarnings(String month, BigDecimal earned) {
    }

    public record Overview(String currency, BigDecimal available, BigDecimal pending, BigDecimal paidOut,
            BigDecimal platformFeePercent, List<ApiEarnings> byApi, List<MonthEarnings> byMonth) {
    }

    private final Ledger ledger;
    private final LedgerStore store;
    private final ApiCatalog catalog;
    private final BillingConfig config;
    private final BigDecimal minPayout;
    private final StripeConnect connect;
    private final Notifications notifications;

    Payouts(Ledger ledger, LedgerStore store, ApiCatalog catalog, BillingConfig config, StripeConnect connect,
            Notifications notifications) {
        this.notifications = notifications;
        this.ledger = ledger;
        this.connect = connect;
        this.store = store;
        this.catalog = catalog;
        this.config = config;
        this.minPayout = config.minPayout();
    }

    public Overview overview(UUID providerId) {
        long[] earnings = ledger.balanceOf(AccountKind.PROVIDER_EARNINGS, providerId);
        long[] pending = ledger.balanceOf(AccountKind.PAYOUTS_PENDING, providerId);
        UUID account = ledger.accountId(AccountKind.PROVIDER_EARNINGS, providerId);
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> apis = store.earningsByApi(account);
            Map<UUID, ApiView> names = catalog.summaries(apis.stream().map(r -> (UUID) r[0])
                    .filter(java.util.Objects::nonNull).toList());
            List<ApiEarnings> byApi = new ArrayList<>();
            for (Object[] row : apis) {
                ApiView api = row[0] == null ? null : names.get((UUID) row[0]);
                byApi.add(new ApiEarnings((UUID) row[0], api == null ? null : api.slug(),
                        api == null ? null : api.name(), Money.fromMicros(((Number) row[1]).longValue())));
            }
            List<MonthEarnings> byMonth = store.earningsByMonth(account).stream().map(r -> new MonthEarnings(
                    String.format("%04d-%02d", ((Number) r[0]).intValue(), ((Number) r[1]).intValue()),
                    Money.fromMicros(((Number) r[2]).longValue()))).toList();
            return new Overview(ledger.currency(), Money.fromMicros(earnings[0] - earnings[1]),
                    Money.fromMicros(pending[0]), Money.fromMicros(store.paidOut(providerId)),
                    BigDecimal.valueOf(config.platformFeePercent()), byApi, byMonth);
        });
    }

    public PayoutView request(UUID providerId, BigDecimal amount) {
        long micros;
        if (amount == null) {
            throw ProblemException.invalid("amount", "is required");
        }
        if (amount.compareTo(minPayout) < 0) {
            throw ProblemException.invalid("amount", "must be at least " + minPayout + " (TOLLGATE_MIN_PAYOUT)");
        }
        int digits = StripeFormats.minorDigits(ledger.currency());
        if (amount.stripTrailingZeros().scale() > digits) {
            throw ProblemException.invalid("amount", "must have at most " + digits + " decimals");
        }
        try {
            micros = Money.toMicros(amount);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("amount", e.getMessage());
        }
        UUID id = UUID.randomUUID();
        try {
            ledger.post("payout", "payout:" + id + ":requested", "Payout " + id + " requested", providerId,
                    List.of(new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, providerId, -micros),
                            new Ledger.Leg(AccountKind.PAYOUTS_PENDING, providerId, micros)),
                    transactionId -> {
                        PayoutEntity payout = new PayoutEntity();
                        payout.id = id;
                        payout.providerId = providerId;
                        payout.amount = micros;
                        payout.currency = ledger.currency();
                        payout.status = PayoutEntity.PENDING;
                        payout.createdAt = Instant.now();
                        store.persist(payout);
                    });
        } catch (ProblemException e) {
            if (e.status() == 402) {
                long[] earnings = ledger.balanceOf(AccountKind.PROVIDER_EARNINGS, providerId);
                throw ProblemException.invalid("amount", "is more than your available earnings ("
                        + Money.fromMicros(earnings[0] - earnings[1]) + " " + ledger.currency() + ")");
            }
            throw e;
        }
        LOG.infof("Payout %s of %s %s requested by %s", id, amount, ledger.currency(), providerId);
        return get(id);
    }

    public List<PayoutView> of(UUID providerId, String status, int skip, int limit) {
        if (status != null && !List.of(PayoutEntity.PENDING, PayoutEntity.PROCESSING, PayoutEntity.PAID,
                PayoutEntity.REJECTED).contains(status)) {
            throw ProblemException.invalid("status", "must be pending, processing, paid or rejected");
        }
        return QuarkusTransaction.requiringNew().call(() -> store.payouts(providerId, status, skip, limit).stream()
                .map(Payouts::view).toList());
    }

    /**
     * Pays a pending payout. With a Stripe Connect account the amount is transferred to it (the transfer id becomes
     * the reference); otherwise the admin paid by hand and gives the bank or transfer reference. Either way the money
     * leaves the platform through the Stripe clearing account.
     */
    public PayoutView approve(UUID adminId, UUID payoutId, String reference) {
        if (reference != null && (reference.isBlank() || reference.length() > 200)) {
            throw ProblemException.invalid("reference", "must be 1 to 200 characters");
        }
        PayoutView payout = get(payoutId);
        Optional<String> account = connect.accountOf(payout.providerId());
        if (account.isEmpty()) {
            if (reference == null) {
                throw ProblemException.invalid("reference", "is required: the provider has no Stripe payout account,"
                        + " so give the bank or transfer reference of the payment you made");
            }
            requirePending(payout);
            return decide(adminId, payout, PayoutEntity.PENDING, true, reference.trim(), null);
        }
        // claim it first, so that a concurrent rejection cannot undo a transfer that happened
        boolean retry = PayoutEntity.PROCESSING.equals(payout.status());
        if (PayoutEntity.PENDING.equals(payout.status())) {
            int claimed = QuarkusTransaction.requiringNew().call(() -> store.changePayoutStatus(payoutId,
                    PayoutEntity.PENDING, PayoutEntity.PROCESSING));
            if (claimed == 0) {
                throw ProblemException.conflict("The payout was just decided by someone else.");
            }
        } else if (!PayoutEntity.PROCESSING.equals(payout.status())) {
            throw ProblemException.conflict("The payout is already " + payout.status() + ".");
        }
        String transferId;
        try {
            transferId = connect.transfer(payoutId, account.get(), Money.toMicros(payout.amount()), retry);
        } catch (StripeRefused e) {
            // Stripe definitely did not transfer: the payout may be decided afresh
            QuarkusTransaction.requiringNew().run(() -> store.changePayoutStatus(payoutId, PayoutEntity.PROCESSING,
                    PayoutEntity.PENDING));
            throw new ProblemException(502, "Bad Gateway", "Stripe refused the transfer of payout " + payoutId
                    + (e.code() == null ? "" : " (" + e.code() + ")") + "; it is still pending and nothing moved. "
                    + "Check the provider's payout account (GET /api/v1/billing/connect), then approve or reject it.");
        } catch (StripeOutcomeUnknown e) {
            // the transfer may have happened: the payout stays processing (it cannot be rejected) until an approval
            // with the same idempotency key learns what Stripe did
            throw new ProblemException(504, "Gateway Timeout", "Stripe did not confirm the transfer of payout "
                    + payoutId + " in time: its outcome is unknown. The payout stays processing; approve it again to "
                    + "finish it (the provider is never paid twice).");
        }
        return decide(adminId, payout, PayoutEntity.PROCESSING, true, transferId,
                reference == null ? null : reference.trim());
    }

    /** Rejects a pending payout: the amount goes back to the provider's earnings. */
    public PayoutView reject(UUID adminId, UUID payoutId, String note) {
        if (note != null && note.length() > 500) {
            throw ProblemException.invalid("note", "must be at most 500 characters");
        }
        PayoutView payout = get(payoutId);
        requirePending(payout);
        return decide(adminId, payout, PayoutEntity.PENDING, false, null, note == null ? null : note.trim());
    }

    private static void requirePending(PayoutView payout) {
        if (!PayoutEntity.PENDING.equals(payout.status())) {
            throw ProblemException.conflict("The payout is already " + payout.status() + ".");
        }
    }

    private PayoutView decide(UUID adminId, PayoutView payout, String expected, boolean approve, String reference,
            String note) {
        UUID payoutId = payout.id();
        long micros = Money.toMicros(payout.amount());
        UUID provider = payout.providerId();
        List<Ledger.Leg> legs = approve
                ? List.of(new Ledger.Leg(AccountKind.PAYOUTS_PENDING, provider, -micros),
                        new Ledger.Leg(AccountKind.STRIPE_CLEARING, null, micros))
                : List.of(new Ledger.Leg(AccountKind.PAYOUTS_PENDING, provider, -micros),
                        new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, provider, micros));
        try {
            // one decision per payout: approving and rejecting share the key, and the status changes only from the
            // expected one (a row lock), so only the first decision happens
            Ledger.Posted posted = ledger.post("payout", "payout:" + payoutId + ":decided", "Payout " + payoutId
                    + (approve ? " paid, reference " + reference : " rejected"), adminId, legs, transactionId -> {
                        if (store.decidePayout(payoutId, expected, approve ? PayoutEntity.PAID : PayoutEntity.REJECTED,
                                reference, note, adminId, Instant.now()) == 0) {
                            throw ProblemException.conflict("The payout was just decided by someone else.");
                        }
                        notifications.notify(new Notifications.Notice(provider,
                                approve ? "payout_paid" : "payout_rejected",
                                approve
                                        ? "Payout of " + payout.amount().toPlainString() + " " + payout.currency()
                                                + " paid"
                                        : "Payout of " + payout.amount().toPlainString() + " " + payout.currency()
                                                + " rejected",
                                approve
                                        ? "Reference: " + reference
                                        : (note == null
                                                ? "The amount is back in your earnings."
                                                : note
                                                        + " The amount is back in your earnings."),
                                "/api/v1/billing/payouts", Map.of("payout_id", payoutId.toString()),
                                "payout:" + payoutId + ":decided"));
                    });
            if (posted.replayed()) {
                throw ProblemException.conflict("The payout was just decided by someone else.");
            }
        } catch (ProblemException e) {
            if (e.status() == 402) {
                throw ProblemException.conflict("The payout was just decided by someone else.");
            }
            throw e;
        }
        LOG.infof("Payout %s %s by %s", payoutId, approve ? "paid (" + reference + ")" : "rejected", adminId);
        return get(payoutId);
    }

    private PayoutView get(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> store.payout(id).map(Payouts::view)
                .orElseThrow(() -> ProblemException.notFound("No payout with id " + id + ".")));
    }

    private static PayoutView view(PayoutEntity p) {
        return new PayoutView(p.id, p.providerId, Money.fromMicros(p.amount), p.currency, p.status, p.reference,
                p.note, p.createdAt, p.decidedAt);
    }
}
