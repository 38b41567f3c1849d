package dev.tollgate.billing.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * What Tollgate remembers of its Stripe objects (Checkout Sessions, customers, PaymentIntents, subscriptions,
 * Connect accounts), in plain JDBC; each method is its own database transaction.
 */
@ApplicationScoped
public class StripeStore {

    /** Maps a result row. */
    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A platform subscription as Stripe last reported it; times may be null while unknown. */
    public record SubscriptionRow(String subscriptionId, UUID userId, String customerId, String tier, String status,
            long price, String currency, Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd,
            Instant canceledAt, long eventAt, Instant createdAt) {

        public SubscriptionRow withStatus(String newStatus, long newEventAt) {
            return new SubscriptionRow(subscriptionId, userId, customerId, tier, newStatus, price, currency,
                    periodStart, periodEnd, cancelAtPeriodEnd, canceledAt, newEventAt, createdAt);
        }
    }

    private static final String SUBSCRIPTION_COLUMNS = "subscription_id, user_id, customer_id, tier, status, price,"
            + " currency, current_period_start, current_period_end, cancel_at_period_end, canceled_at, event_at,"
            + " created_at";

    private static final String PAYMENT_COLUMNS = "payment_intent_id, user_id, status, amount, currency, created_at";

    private final AgroalDataSource dataSource;

    StripeStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A PaymentIntent Tollgate created (amount in micros). */
    public record PaymentRow(String paymentIntentId, UUID userId, String status, long amount, String currency,
            Instant createdAt) {
    }

    /** A Checkout Session Tollgate created: whose, for which tier (subscriptions) and how much (micros). */
    public record CheckoutRow(String sessionId, UUID userId, String mode, String tier, long amount, String currency) {
    }

    /** The first column of the first row, if any. */
    private <T> Optional<T> one(String sql, Class<T> type, Object... parameters) {
        List<T> rows = list(sql, rs -> rs.getObject(1, type), parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private <T> List<T> list(String sql, Row<T> row, Object... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = prepare(c, sql, parameters);
                ResultSet rs = select.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading Stripe records failed", e);
        }
    }

    /** Runs an insert or update; returns the number of rows it changed. */
    private int update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = prepare(c, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Writing Stripe records failed", e);
        }
    }

    // --- customers ----------------------------------------------------------------------------------

    /** The user's Stripe customer, if Tollgate has one. */
    public Optional<String> customerOf(UUID userId) {
        return one("select customer_id from stripe_customers where user_id = ?", String.class, userId);
    }

    /** Remembers the user's Stripe customer unless one is already known. */
    public void saveCustomer(UUID userId, String customerId) {
        try {
            update("insert into stripe_customers (user_id, customer_id, created_at) select ?, ?, ? where not exists"
                    + " (select 1 from stripe_customers where user_id = ? or customer_id = ?)", userId, customerId,
                    Instant.now(), userId, customerId);
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState()))) {
                throw e;
            }
            // a concurrent request saved it first
        }
    }

    // --- Checkout Sessions -------------------------------------------------------------------------

    /** Remembers a Checkout Session Tollgate created ({@code mode} payment or subscription; tier may be null). */
    public void saveCheckout(CheckoutRow checkout) {
        update("insert into stripe_checkouts (session_id, user_id, mode, tier, amount, currency, status, created_at)"
                + " values (?, ?, ?, ?, ?, ?, 'open', ?)", checkout.sessionId(), checkout.userId(), checkout.mode(),
                checkout.tier(), checkout.amount(), checkout.currency(), Instant.now());
    }

    /** A Checkout Session Tollgate created in that mode, if it did. */
    public Optional<CheckoutRow> checkout(String sessionId, String mode) {
        return list("select session_id, user_id, mode, tier, amount, currency from stripe_checkouts"
                + " where session_id = ? and mode = ?",
                rs -> new CheckoutRow(rs.getString(1),
                        rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6)),
                sessionId, mode).stream().findFirst();
    }

    public void markCheckoutCompleted(String sessionId) {
        update("update stripe_checkouts set status = 'completed', completed_at = ? where session_id = ?"
                + " and status <> 'completed'", Instant.now(), sessionId);
    }

    // --- PaymentIntents ----------------------------------------------------------------------------

    /**
     * Remembers a PaymentIntent unless it is known already (its webhook, or a retried request, may have recorded it
     * first); returns whether this call recorded it.
     */
    public boolean savePayment(PaymentRow payment) {
        try {
            return update("insert into stripe_payments (payment_intent_id, user_id, amount, currency, status,"
                    + " created_at) select ?, ?, ?, ?, ?, ? where not exists (select 1 from stripe_payments where"
                    + " payment_intent_id = ?)", payment.paymentIntentId(), payment.userId(), payment.amount(),
                    payment.currency(), payment.status(), payment.createdAt(), payment.paymentIntentId()) == 1;
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState()))) {
                throw e;
            }
            return false; // a concurrent request recorded it first
        }
    }

    public Optional<PaymentRow> payment(String paymentIntentId) {
        return list("select " + PAYMENT_COLUMNS + " from stripe_payments where payment_intent_id = ?",
                StripeStore::paymentRow, paymentIntentId).stream().findFirst();
    }

    /** The user's PaymentIntents, newest first. */
    public List<PaymentRow> paymentsOf(UUID userId) {
        return list("select " + PAYMENT_COLUMNS + " from stripe_payments where user_id = ? order by created_at desc",
                StripeStore::paymentRow, userId);
    }

    public void markPaymentSucceeded(String paymentIntentId) {
        update("update stripe_payments set status = 'succeeded', succeeded_at = ? where payment_intent_id = ?",
                Instant.now(), paymentIntentId);
    }

    /** A payment that Stripe says failed; one that succeeded (a later attempt) stays succeeded. */
    public void markPaymentFailed(String paymentIntentId) {
        update("update stripe_payments set status = 'failed' where payment_intent_id = ? and status <> 'succeeded'",
                paymentIntentId);
    }

    private static PaymentRow paymentRow(ResultSet rs) throws SQLException {
        return new PaymentRow(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getLong(4),
                rs.getString(5), instant(rs, 6));
    }

    // --- Connect accounts ----------------------------------------------------------------------------

    /** The provider's Stripe Connect account, if Tollgate created one. */
    public Optional<String> connectAccountOf(UUID userId) {
        return one("select account_id from stripe_connect_accounts where user_id = ?", String.class, userId);
    }

    /** Remembers the provider's Connect account unless one is already known. */
    public void saveConnectAccount(UUID userId, String accountId) {
        update("insert into stripe_connect_accounts (user_id, account_id, created_at) select ?, ?, ?"
                + " where not exists (select 1 from stripe_connect_accounts where user_id = ?)", userId, accountId,
                Instant.now(), userId);
    }

    // --- platform subscriptions -------------------------------------------------------------------

    /** Stores a first sketch of the subscription unless Tollgate already knows it. */
    public void saveIfAbsent(SubscriptionRow row) {
        if (subscription(row.subscriptionId()).isEmpty()) {
            saveIfNewer(row); // with event time 0 it loses against any state a real event stored meanwhile
        }
    }

    public Optional<SubscriptionRow> subscription(String subscriptionId) {
        List<SubscriptionRow> rows = list("select " + SUBSCRIPTION_COLUMNS + " from stripe_subscriptions where"
                + " subscription_id = ?", StripeStore::subscriptionRow, subscriptionId);
        return rows.stream().findFirst();
    }

    /** The user's subscriptions, newest first. */
    public List<SubscriptionRow> subscriptionsOf(UUID userId) {
        return list("select " + SUBSCRIPTION_COLUMNS + " from stripe_subscriptions where user_id = ?"
                + " order by created_at desc", StripeStore::subscriptionRow, userId);
    }

    /**
     * Stores the subscription's state unless the stored one comes from a later event; returns whether it did.
     * Concurrent deliveries about the same subscription are serialized by the row lock.
     */
    public boolean saveIfNewer(SubscriptionRow row) {
        for (int attempt = 0;; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    boolean saved = saveIfNewer(c, row);
                    c.commit();
                    return saved;
                } catch (SQLException e) {
                    c.rollback();
                    // two first deliveries inserted the same new subscription at once: the loser updates instead
                    if (attempt == 0 && "23505".equals(e.getSQLState())) {
                        continue;
                    }
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Saving a Stripe subscription failed", e);
            }
        }
    }

    private static boolean saveIfNewer(Connection c, SubscriptionRow row) throws SQLException {
        Long storedEventAt = null;
        try (PreparedStatement select = prepare(c, "select event_at from stripe_subscriptions where"
                + " subscription_id = ? for update", row.subscriptionId()); ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
                storedEventAt = rs.getLong(1);
            }
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (storedEventAt == null) {
            try (PreparedStatement insert = prepare(c, "insert into stripe_subscriptions (" + SUBSCRIPTION_COLUMNS
                    + ", updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row.subscriptionId(),
                    row.userId(), row.customerId(), row.tier(), row.status(), row.price(), row.currency(),
                    time(row.periodStart()), time(row.periodEnd()), row.cancelAtPeriodEnd(), time(row.canceledAt()),
                    row.eventAt(), time(row.createdAt()), now)) {
                insert.executeUpdate();
            }
            return true;
        }
        if (row.eventAt() < storedEventAt) {
            return false;
        }
        try (PreparedStatement update = prepare(c, "update stripe_subscriptions set customer_id = coalesce(?,"
                + " customer_id), status = ?, current_period_start = coalesce(?, current_period_start),"
                + " current_period_end = coalesce(?, current_period_end), cancel_at_period_end = ?, canceled_at = ?,"
                + " event_at = ?, updated_at = ? where subscription_id = ?", row.customerId(), row.status(),
                time(row.periodStart()), time(row.periodEnd()), row.cancelAtPeriodEnd(), time(row.canceledAt()),
                row.eventAt(), now, row.subscriptionId())) {
            update.executeUpdate();
        }
        return true;
    }

    private static SubscriptionRow subscriptionRow(ResultSet rs) throws SQLException {
        return new SubscriptionRow(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getLong(6), rs.getString(7), instant(rs, 8), instant(rs, 9), rs.getBoolean(10),
                instant(rs, 11), rs.getLong(12), instant(rs, 13));
    }

    // --- helpers -----------------------------------------------------------------------------------

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    public static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                statement.setObject(i + 1, p instanceof Instant instant ? time(instant) : p);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
