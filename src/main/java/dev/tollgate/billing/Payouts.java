package dev.tollgate.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.billing.store.LedgerStore;
import dev.tollgate.billing.store.PayoutEntity;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Providers' earnings and their payouts. Requesting a payout moves the amount from the provider's earnings to their
 * pending payouts (so it cannot be spent twice); an admin approves it (the money leaves through the Stripe clearing
 * account, with the bank or transfer reference) or rejects it (the amount goes back to the earnings).
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

    Payouts(Ledger ledger, LedgerStore store, ApiCatalog catalog, BillingConfig config) {
        this.ledger = ledger;
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
        if (status != null && !List.of(PayoutEntity.PENDING, PayoutEntity.PAID, PayoutEntity.REJECTED)
                .contains(status)) {
            throw ProblemException.invalid("status", "must be pending, paid or rejected");
        }
        return QuarkusTransaction.requiringNew().call(() -> store.payouts(providerId, status, skip, limit).stream()
                .map(Payouts::view).toList());
    }

    /** Marks a pending payout paid: the money leaves the platform through the Stripe clearing account. */
    public PayoutView approve(UUID adminId, UUID payoutId, String reference) {
        if (reference == null || reference.isBlank() || reference.length() > 200) {
            throw ProblemException.invalid("reference", "is required: the bank or transfer reference, 1 to 200 "
                    + "characters");
        }
        return decide(adminId, payoutId, true, reference.trim());
    }

    /** Rejects a pending payout: the amount goes back to the provider's earnings. */
    public PayoutView reject(UUID adminId, UUID payoutId, String note) {
        if (note != null && note.length() > 500) {
            throw ProblemException.invalid("note", "must be at most 500 characters");
        }
        return decide(adminId, payoutId, false, note == null ? null : note.trim());
    }

    private PayoutView decide(UUID adminId, UUID payoutId, boolean approve, String text) {
        PayoutView payout = get(payoutId);
        if (!PayoutEntity.PENDING.equals(payout.status())) {
            throw ProblemException.conflict("The payout is already " + payout.status() + ".");
        }
        long micros = Money.toMicros(payout.amount());
        UUID provider = payout.providerId();
        List<Ledger.Leg> legs = approve
                ? List.of(new Ledger.Leg(AccountKind.PAYOUTS_PENDING, provider, -micros),
                        new Ledger.Leg(AccountKind.STRIPE_CLEARING, null, micros))
                : List.of(new Ledger.Leg(AccountKind.PAYOUTS_PENDING, provider, -micros),
                        new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, provider, micros));
        try {
            // one decision per payout: approving and rejecting share the key, so only the first one happens
            Ledger.Posted posted = ledger.post("payout", "payout:" + payoutId + ":decided", "Payout " + payoutId
                    + (approve ? " paid, reference " + text : " rejected"), adminId, legs, transactionId -> {
                        PayoutEntity entity = store.payout(payoutId).orElseThrow();
                        entity.status = approve ? PayoutEntity.PAID : PayoutEntity.REJECTED;
                        if (approve) {
                            entity.reference = text;
                        } else {
                            entity.note = text;
                        }
                        entity.decidedAt = Instant.now();
                        entity.decidedBy = adminId;
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
        LOG.infof("Payout %s %s by %s", payoutId, approve ? "paid" : "rejected", adminId);
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
