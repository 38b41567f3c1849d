package dev.tollgate.billing.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/** Database access for ledger accounts, transactions and entries. Callers own the transaction. */
@ApplicationScoped
public class LedgerStore {

    /** A ledger line: an entry with the transaction it belongs to and the kind of account it moved. */
    public record Line(LedgerEntryEntity entry, LedgerTransactionEntity transaction, String accountKind) {
    }

    private final Session session;

    LedgerStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
    }

    public void flush() {
        session.flush();
    }

    public Optional<LedgerAccountEntity> account(String kind, String ownerKey, String currency) {
        return session.createSelectionQuery(
                "from LedgerAccountEntity where kind = :kind and ownerKey = :owner and currency = :currency",
                LedgerAccountEntity.class).setParameter("kind", kind).setParameter("owner", ownerKey)
                .setParameter("currency", currency).uniqueResultOptional();
    }

    /** The account as it is in the database now (balances change through bulk updates). */
    public Optional<LedgerAccountEntity> freshAccount(UUID id) {
        LedgerAccountEntity account = session.find(LedgerAccountEntity.class, id);
        if (account != null) {
            session.refresh(account);
        }
        return Optional.ofNullable(account);
    }

    /** These accounts, read in one query (in a transaction of their own, they are as the database has them). */
    public List<LedgerAccountEntity> accounts(Collection<UUID> ids) {
        return session.createSelectionQuery("from LedgerAccountEntity where id in :ids", LedgerAccountEntity.class)
                .setParameter("ids", ids).getResultList();
    }

    public List<LedgerAccountEntity> accountsOf(UUID ownerId) {
        return session.createSelectionQuery("from LedgerAccountEntity where ownerId = :owner order by kind",
                LedgerAccountEntity.class).setParameter("owner", ownerId).getResultList();
    }

    /**
     * Adds {@code amount} to the account's balance in one statement. With {@code mustStayCovered}, the update only
     * happens if balance minus reserved stays at or above zero, so concurrent debits can never overdraw it.
     *
     * @return whether the balance changed
     */
    public boolean apply(UUID accountId, long amount, boolean mustStayCovered) {
        String condition = mustStayCovered && amount < 0 ? " and balance - reserved + :amount >= 0" : "";
        return session.createMutationQuery("update LedgerAccountEntity set balance = balance + :amount where id = :id"
                + condition).setParameter("amount", amount).setParameter("id", accountId).executeUpdate() == 1;
    }

    /** Notes a top-up or grant credited to a wallet account (it sets the default low-balance threshold). */
    public void recordTopUp(UUID accountId, UUID transactionId, long amount) {
        session.createMutationQuery("update LedgerAccountEntity set lastTopUpId = :tx, lastTopUpAmount = :amount"
                + " where id = :id").setParameter("tx", transactionId).setParameter("amount", amount)
                .setParameter("id", accountId).executeUpdate();
    }

    /** Sets the owner's low-balance threshold of a wallet account (null: the default). */
    public void setLowBalanceThreshold(UUID accountId, Long micros) {
        session.createMutationQuery("update LedgerAccountEntity set lowBalanceThreshold = :micros where id = :id")
                .setParameter("micros", micros).setParameter("id", accountId).executeUpdate();
    }

    public Optional<LedgerTransactionEntity> transactionByKey(String idempotencyKey) {
        return session.createSelectionQuery("from LedgerTransactionEntity where idempotencyKey = :key",
                LedgerTransactionEntity.class).setParameter("key", idempotencyKey).uniqueResultOptional();
    }

    public List<LedgerEntryEntity> entriesOf(UUID transactionId) {
        return session.createSelectionQuery("from LedgerEntryEntity where transactionId = :tx order by id",
                LedgerEntryEntity.class).setParameter("tx", transactionId).getResultList();
    }

    /** Lines of these accounts, newest first, optionally of one transaction type and within [from, to). */
    public List<Line> lines(Collection<UUID> accountIds, String type, Instant from, Instant to, int skip,
            int limit) {
        if (accountIds.isEmpty()) {
            return List.of();
        }
        SelectionQuery<Object[]> query = session.createSelectionQuery("select e, t, a.kind from LedgerEntryEntity e"
                + " join LedgerTransactionEntity t on t.id = e.transactionId"
                + " join LedgerAccountEntity a on a.id = e.accountId" + where(type, from, to)
                + " order by e.id desc", Object[].class);
        bind(query, accountIds, type, from, to);
        return query.setFirstResult(skip).setMaxResults(limit).getResultList().stream()
                .map(r -> new Line((LedgerEntryEntity) r[0], (LedgerTransactionEntity) r[1], (String) r[2]))
                .toList();
    }

    public long countLines(Collection<UUID> accountIds, String type, Instant from, Instant to) {
        if (accountIds.isEmpty()) {
            return 0;
        }
        SelectionQuery<Long> query = session.createSelectionQuery("select count(*) from LedgerEntryEntity e"
                + " join LedgerTransactionEntity t on t.id = e.transactionId" + where(type, from, to), Long.class);
        bind(query, accountIds, type, from, to);
        return query.getSingleResult();
    }

    /** The sum of the account's entries newer than {@code entryId} (what moved it since that entry). */
    public long sumAfter(UUID accountId, long entryId) {
        Long sum = session.createSelectionQuery("select sum(e.amount) from LedgerEntryEntity e"
                + " where e.accountId = :account and e.id > :entry", Long.class).setParameter("account", accountId)
                .setParameter("entry", entryId).getSingleResult();
        return sum == null ? 0 : sum;
    }

    /** Per account kind of one currency: {kind, sum of balances, sum of reserved, number of accounts}. */
    public List<Object[]> totalsByKind(String currency) {
        return session.createSelectionQuery("select kind, sum(balance), sum(reserved), count(*) from"
                + " LedgerAccountEntity where currency = :currency group by kind order by kind", Object[].class)
                .setParameter("currency", currency).getResultList();
    }

    // --- payouts ----------------------------------------------------------------------------------

    public Optional<PayoutEntity> payout(UUID id) {
        return Optional.ofNullable(session.find(PayoutEntity.class, id));
    }

    /** Payouts of one provider (or of everyone when null), optionally of one status, newest first. */
    public List<PayoutEntity> payouts(UUID providerId, String status, int skip, int limit) {
        SelectionQuery<PayoutEntity> query = session.createSelectionQuery("from PayoutEntity where 1 = 1"
                + (providerId == null ? "" : " and providerId = :provider")
                + (status == null ? "" : " and status = :status") + " order by createdAt desc, id",
                PayoutEntity.class);
        if (providerId != null) {
            query.setParameter("provider", providerId);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
        return query.setFirstResult(skip).setMaxResults(limit).getResultList();
    }

    /** Moves a payout from one status to another; returns 0 when it was not in the expected one. */
    public int changePayoutStatus(UUID id, String expected, String status) {
        return session.createMutationQuery("update PayoutEntity set status = :status where id = :id"
                + " and status = :expected").setParameter("status", status).setParameter("id", id)
                .setParameter("expected", expected).executeUpdate();
    }

    /** Records the decision on a payout still in the expected status; returns 0 when it was not. */
    public int decidePayout(UUID id, String expected, String status, String reference, String note, UUID decidedBy,
            Instant decidedAt) {
        return session.createMutationQuery("update PayoutEntity set status = :status, reference = :reference,"
                + " note = :note, decidedBy = :by, decidedAt = :at where id = :id and status = :expected")
                .setParameter("status", status).setParameter("reference", reference).setParameter("note", note)
                .setParameter("by", decidedBy).setParameter("at", decidedAt).setParameter("id", id)
                .setParameter("expected", expected).executeUpdate();
    }

    public long paidOut(UUID providerId) {
        Long sum = session.createSelectionQuery(
                "select sum(amount) from PayoutEntity where providerId = :provider and status = 'paid'", Long.class)
                .setParameter("provider", providerId).getSingleResult();
        return sum == null ? 0 : sum;
    }

    /** Earnings from calls and subscriptions per API: {api id, micros}. */
    public List<Object[]> earningsByApi(UUID earningsAccount) {
        return session.createSelectionQuery("select t.apiId, sum(e.amount) from LedgerEntryEntity e"
                + " join LedgerTransactionEntity t on t.id = e.transactionId where e.accountId = :account"
                + " and t.type in ('charge', 'subscription') group by t.apiId order by sum(e.amount) desc",
                Object[].class)
                .setParameter("account", earningsAccount).getResultList();
    }

    /** Earnings from calls and subscriptions per calendar month: {year, month, micros}, newest first. */
    public List<Object[]> earningsByMonth(UUID earningsAccount) {
        return session.createSelectionQuery("select year(e.createdAt), month(e.createdAt), sum(e.amount)"
                + " from LedgerEntryEntity e join LedgerTransactionEntity t on t.id = e.transactionId"
                + " where e.accountId = :account and t.type in ('charge', 'subscription')"
                + " group by year(e.createdAt), month(e.createdAt)"
                + " order by year(e.createdAt) desc, month(e.createdAt) desc", Object[].class)
                .setParameter("account", earningsAccount).getResultList();
    }

    // --- revenue and spend (analytics) ------------------------------------------------------------------------

    /**
     * The entries of call charges and API subscriptions in [from, to), of these APIs (all when null), on the
     * consumer wallets, provider earnings and the platform's revenue: {api id, account kind, created at, micros, calls
     * of the transaction}.
     */
    public List<Object[]> apiMoney(Collection<UUID> apiIds, String currency, Instant from, Instant to) {
        SelectionQuery<Object[]> query = session.createSelectionQuery("select t.apiId, a.kind, e.createdAt, e.amount,"
                + " t.calls from LedgerEntryEntity e join LedgerTransactionEntity t on t.id = e.transactionId"
                + " join LedgerAccountEntity a on a.id = e.accountId where t.type in ('charge', 'subscription')"
                + " and t.apiId is not null" + (apiIds == null ? "" : " and t.apiId in :apis")
                + " and a.kind in ('consumer_wallet', 'provider_earnings', 'platform_revenue')"
                + " and e.currency = :currency and e.createdAt >= :from and e.createdAt < :to", Object[].class)
                .setParameter("currency", currency).setParameter("from", from).setParameter("to", to);
        if (apiIds != null) {
            query.setParameter("apis", apiIds);
        }
        return query.getResultList();
    }

    /**
     * What a consumer's wallet paid in [from, to) for gateway calls and API subscriptions (not AI calls), optionally
     * only for these APIs, in micros (positive).
     */
    public long gatewaySpend(UUID consumerId, Collection<UUID> apiIds, String currency, Instant from, Instant to) {
        SelectionQuery<Long> query = session.createSelectionQuery("select sum(e.amount) from LedgerEntryEntity e"
                + " join LedgerTransactionEntity t on t.id = e.transactionId"
                + " join LedgerAccountEntity a on a.id = e.accountId where a.kind = 'consumer_wallet'"
                + " and a.ownerId = :consumer and t.type in ('charge', 'subscription') and t.model is null"
                + (apiIds == null ? "" : " and t.apiId in :apis")
                + " and e.currency = :currency and e.createdAt >= :from and e.createdAt < :to", Long.class)
                .setParameter("consumer", consumerId).setParameter("currency", currency).setParameter("from", from)
                .setParameter("to", to);
        if (apiIds != null) {
            query.setParameter("apis", apiIds);
        }
        Long sum = query.getSingleResult();
        return sum == null ? 0 : -sum;
    }

    /**
     * The platform's revenue entries in [from, to) (fees on calls and subscriptions, AI calls, account tiers): {created
     * at, micros, model (AI calls only)}.
     */
    public List<Object[]> platformRevenue(String currency, Instant from, Instant to) {
        return session.createSelectionQuery("select e.createdAt, e.amount, t.model from LedgerEntryEntity e"
                + " join LedgerTransactionEntity t on t.id = e.transactionId"
                + " join LedgerAccountEntity a on a.id = e.accountId where a.kind = 'platform_revenue'"
                + " and t.type in ('charge', 'subscription') and e.currency = :currency and e.createdAt >= :from"
                + " and e.createdAt < :to", Object[].class).setParameter("currency", currency)
                .setParameter("from", from).setParameter("to", to).getResultList();
    }

    private static String where(String type, Instant from, Instant to) {
        return " where e.accountId in :accounts" + (type == null ? "" : " and t.type = :type")
                + (from == null ? "" : " and e.createdAt >= :from") + (to == null ? "" : " and e.createdAt < :to");
    }

    private static void bind(SelectionQuery<?> query, Collection<UUID> accountIds, String type, Instant from,
            Instant to) {
        query.setParameter("accounts", accountIds);
        if (type != null) {
            query.setParameter("type", type);
        }
        if (from != null) {
            query.setParameter("from", from);
        }
        if (to != null) {
            query.setParameter("to", to);
        }
    }
}
