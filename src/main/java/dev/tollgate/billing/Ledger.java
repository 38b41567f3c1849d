package dev.tollgate.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import dev.tollgate.billing.store.LedgerAccountEntity;
import dev.tollgate.billing.store.LedgerEntryEntity;
import dev.tollgate.billing.store.LedgerStore;
import dev.tollgate.billing.store.LedgerTransactionEntity;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The double-entry ledger. Every movement of money is one transaction of two or more entries that sum to zero,
 * written with the balances they change in one database transaction; entries are never changed afterwards. A
 * per-user account (wallet, earnings) is debited only if it stays covered, checked by the database in the same
 * statement, so concurrent debits can never take it below zero. An idempotency key makes a movement happen at most
 * once, however often it is asked for.
 */
@ApplicationScoped
public class Ledger {

    private static final Logger LOG = Logger.getLogger(Ledger.class);
    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");
    static final String PLATFORM = "platform";

    /** One side of a movement: {@code amount} micros (positive credits, negative debits) on an account. */
    public record Leg(AccountKind kind, UUID ownerId, long amount) {
    }

    /**
     * Fired inside a ledger transaction that adds credit to a consumer's wallet (grant, top-up, refund), for
     * observers that act once it has committed, e.g. a gateway node that had found the wallet empty.
     */
    public record WalletCredited(UUID consumerId) {
    }

    /** The transaction, and whether it had already been posted under the same idempotency key. */
    public record Posted(LedgerViews.Transaction transaction, boolean replayed) {
    }

    /** Movement types that are money put into a wallet (they set the default low-balance threshold). */
    private static final Set<String> TOP_UPS = Set.of("topup", "grant");

    private final LedgerStore store;
    private final String currency;
    private final Event<WalletCredited> walletCredited;
    private final LowBalanceAlerts lowBalance;

    Ledger(LedgerStore store, @ConfigProperty(name = "tollgate.currency", defaultValue = "usd") String currency,
            Event<WalletCredited> walletCredited, LowBalanceAlerts lowBalance) {
        this.store = store;
        this.walletCredited = walletCredited;
        this.lowBalance = lowBalance;
        this.currency = currency.trim().toLowerCase(Locale.ROOT);
        if (!CURRENCY.matcher(this.currency).matches()) {
            throw new IllegalStateException(
                    "TOLLGATE_CURRENCY must be a three-letter ISO 4217 code such as usd or eur, not '" + currency
                            + "'");
        }
    }

    /** The platform currency, lower case (ISO 4217). */
    public String currency() {
        return currency;
    }

    /**
     * Posts a movement in a transaction of its own.
     *
     * @throws ProblemException 402 when a per-user account would no longer be covered (nothing is written)
     */
    public Posted post(String type, String idempotencyKey, String description, UUID actorId, List<Leg> legs) {
        return post(type, idempotencyKey, description, actorId, legs, transactionId -> {
        });
    }

    /**
     * Posts a movement and, in the same database transaction, runs {@code alongside} with the new transaction's id
     * (to write what the movement is for). Not run when the key had already been posted.
     */
    public Posted post(String type, String idempotencyKey, String description, UUID actorId, List<Leg> legs,
            java.util.function.Consumer<UUID> alongside) {
        validate(legs);
        Map<Leg, UUID> accounts = accountsOf(legs);
        if (idempotencyKey != null) {
            Optional<Posted> earlier = replay(idempotencyKey);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Posted posted = write(type, idempotencyKey, description, actorId, null, legs, accounts);
                alongside.accept(posted.transaction().id());
                return posted;
            });
        } catch (RuntimeException e) {
            if (idempotencyKey != null && isConstraintViolation(e)) {
                // a concurrent post with the same key won
                return replay(idempotencyKey).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * Posts a movement in the caller's transaction (it commits or rolls back with it); an idempotency key already
     * posted makes it a no-op that returns the earlier transaction.
     */
    public Posted postJoining(String type, String idempotencyKey, String description, UUID actorId, UUID apiId,
            List<Leg> legs) {
        validate(legs);
        Map<Leg, UUID> accounts = accountsOf(legs);
        Optional<Posted> earlier = replay(idempotencyKey);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return QuarkusTransaction.joiningExisting().call(() -> write(type, idempotencyKey, description, actorId,
                apiId, legs, accounts));
    }

    /** The id of the account, created on first use. */
    public UUID accountId(AccountKind kind, UUID ownerId) {
        if (kind.perUser() != (ownerId != null)) {
            throw new IllegalArgumentException(kind.id() + (kind.perUser() ? " needs" : " takes no") + " owner");
        }
        String ownerKey = ownerKey(ownerId);
        Optional<UUID> existing = QuarkusTransaction.requiringNew()
                .call(() -> store.account(kind.id(), ownerKey, currency).map(a -> a.id));
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                LedgerAccountEntity account = new LedgerAccountEntity();
                account.id = UUID.randomUUID();
                account.kind = kind.id();
                account.ownerKey = ownerKey;
                account.ownerId = ownerId;
                account.currency = currency;
                account.createdAt = Instant.now();
                store.persist(account);
                store.flush();
                return account.id;
            });
        } catch (RuntimeException e) {
            if (!isConstraintViolation(e)) {
                throw e;
            }
            return QuarkusTransaction.requiringNew().call(() -> store.account(kind.id(), ownerKey, currency)
                    .map(a -> a.id).orElseThrow(() -> e));
        }
    }

    /** Totals of every account kind in the platform currency. */
    public LedgerViews.Summary summary() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<LedgerViews.KindTotal> kinds = new ArrayList<>();
            long sum = 0;
            for (Object[] row : store.totalsByKind(currency)) {
                long balance = ((Number) row[1]).longValue();
                sum += balance;
                kinds.add(new LedgerViews.KindTotal((String) row[0], Money.fromMicros(balance),
                        Money.fromMicros(((Number) row[2]).longValue()), ((Number) row[3]).longValue()));
            }
            return new LedgerViews.Summary(currency, kinds, Money.fromMicros(sum), sum == 0);
        });
    }

    /** Balance and reserved micros of an account ({@code ownerId} null for the platform's), zeros if never used. */
    public long[] balanceOf(AccountKind kind, UUID ownerId) {
        return QuarkusTransaction.requiringNew().call(() -> store.account(kind.id(), ownerKey(ownerId), currency)
                .map(a -> new long[]{a.balance, a.reserved}).orElse(new long[]{0, 0}));
    }

    private Map<Leg, UUID> accountsOf(List<Leg> legs) {
        Map<Leg, UUID> accounts = new HashMap<>();
        for (Leg leg : legs) {
            accounts.put(leg, accountId(leg.kind(), leg.ownerId()));
        }
        return accounts;
    }

    private static String ownerKey(UUID ownerId) {
        return ownerId == null ? PLATFORM : ownerId.toString();
    }

    private Posted write(String type, String idempotencyKey, String description, UUID actorId, UUID apiId,
            List<Leg> legs, Map<Leg, UUID> accounts) {
        Instant now = Instant.now();
        LedgerTransactionEntity transaction = new LedgerTransactionEntity();
        transaction.id = UUID.randomUUID();
        transaction.type = type;
        transaction.idempotencyKey = idempotencyKey;
        transaction.description = description.length() > 500 ? description.substring(0, 500) : description;
        transaction.actorId = actorId;
        transaction.apiId = apiId;
        transaction.createdAt = now;
        store.persist(transaction);
        store.flush();
        // balances change in a fixed order (by account id), so concurrent movements cannot deadlock
        List<Leg> ordered = new ArrayList<>(legs);
        ordered.sort(Comparator.comparing(accounts::get));
        List<LedgerEntryEntity> entries = new ArrayList<>();
        for (Leg leg : ordered) {
            UUID account = accounts.get(leg);
            if (!store.apply(account, leg.amount(), leg.kind().perUser())) {
                throw new ProblemException(402, "Payment Required", "Not enough credit: the "
                        + leg.kind().id().replace('_', ' ') + " does not cover " + Money.fromMicros(-leg.amount())
                        + " " + currency + ".");
            }
            LedgerEntryEntity entry = new LedgerEntryEntity();
            entry.transactionId = transaction.id;
            entry.accountId = account;
            entry.amount = leg.amount();
            entry.currency = currency;
            entry.createdAt = now;
            store.persist(entry);
            entries.add(entry);
            if (leg.kind() == AccountKind.CONSUMER_WALLET && leg.amount() > 0) {
                walletCredited.fire(new WalletCredited(leg.ownerId()));
                if (TOP_UPS.contains(type)) {
                    store.recordTopUp(account, transaction.id, leg.amount());
                }
            }
        }
        for (Leg leg : ordered) {
            if (leg.kind() == AccountKind.CONSUMER_WALLET && leg.amount() < 0) {
                lowBalance.afterDebit(accounts.get(leg));
            }
        }
        LOG.infof("Ledger %s %s: %s", type, transaction.id, describe(ordered));
        return new Posted(view(transaction, entries, legs, accounts), false);
    }

    private Optional<Posted> replay(String idempotencyKey) {
        return QuarkusTransaction.requiringNew().call(() -> store.transactionByKey(idempotencyKey).map(t -> {
            List<LedgerViews.Entry> entries = new ArrayList<>();
            for (LedgerEntryEntity e : store.entriesOf(t.id)) {
                LedgerAccountEntity account = store.freshAccount(e.accountId).orElseThrow();
                entries.add(new LedgerViews.Entry(account.kind, account.ownerId, Money.fromMicros(e.amount),
                        e.currency));
            }
            return new Posted(new LedgerViews.Transaction(t.id, t.type, t.description, t.createdAt, entries), true);
        }));
    }

    private LedgerViews.Transaction view(LedgerTransactionEntity t, List<LedgerEntryEntity> entries, List<Leg> legs,
            Map<Leg, UUID> accounts) {
        Map<UUID, Leg> byAccount = new HashMap<>();
        legs.forEach(l -> byAccount.put(accounts.get(l), l));
        List<LedgerViews.Entry> out = entries.stream().map(e -> {
            Leg leg = byAccount.get(e.accountId);
            return new LedgerViews.Entry(leg.kind().id(), leg.ownerId(), Money.fromMicros(e.amount),
                    e.currency);
        }).toList();
        return new LedgerViews.Transaction(t.id, t.type, t.description, t.createdAt, out);
    }

    private static void validate(List<Leg> legs) {
        if (legs.size() < 2) {
            throw new IllegalArgumentException("a movement needs at least two legs");
        }
        long sum = 0;
        for (Leg leg : legs) {
            if (leg.amount() == 0) {
                throw new IllegalArgumentException("a leg of 0");
            }
            sum = Math.addExact(sum, leg.amount());
        }
        if (sum != 0) {
            throw new IllegalArgumentException("legs sum to " + sum + ", not 0");
        }
        if (legs.stream().map(l -> l.kind().id() + ":" + l.ownerId()).distinct().count() != legs.size()) {
            throw new IllegalArgumentException("an account appears twice in one movement");
        }
    }

    private static String describe(List<Leg> legs) {
        StringBuilder out = new StringBuilder();
        for (Leg leg : legs) {
            out.append(out.length() == 0 ? "" : ", ").append(leg.kind().id())
                    .append(leg.ownerId() == null ? "" : "(" + leg.ownerId() + ")").append(' ')
                    .append(leg.amount() > 0 ? "+" : "").append(leg.amount());
        }
        return out.toString();
    }

    static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException
                    || (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }
}
