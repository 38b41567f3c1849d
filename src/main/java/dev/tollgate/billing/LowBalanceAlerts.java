package dev.tollgate.billing;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.billing.store.LedgerAccountEntity;
import dev.tollgate.billing.store.LedgerStore;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Tells a consumer when a charge leaves their wallet's balance below their low-balance threshold: the one they set,
 * else {@code tollgate.billing.low-balance-percent} (10) percent of their last top-up or grant. Once per top-up: the
 * notice's cause is the wallet and its last top-up, so the next top-up or grant re-arms it. Checked where charges are
 * written — in the ledger transaction of a single movement (subscription periods) and after each batch of settled
 * calls (pay-per-call and AI) — never on the gateway's request path.
 */
@ApplicationScoped
public class LowBalanceAlerts {

    private static final Logger LOG = Logger.getLogger(LowBalanceAlerts.class);
    /** The largest threshold one may set, in currency units. */
    static final BigDecimal MAX_THRESHOLD = new BigDecimal("1000000");

    /**
     * A wallet's alert setting: the threshold in force (null: none, as there was no top-up yet), whether its owner
     * chose it ({@code custom}) and the last top-up or grant that sets the default.
     */
    public record AlertSettings(BigDecimal lowBalanceThreshold, boolean custom, BigDecimal lastTopUp, String currency) {
    }

    private final LedgerStore store;
    private final Ledger ledger;
    private final Notifications notifications;
    private final int defaultPercent;
    /** Causes already told after settled batches, so that each later batch does not ask the notifications again. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    LowBalanceAlerts(LedgerStore store, Ledger ledger, Notifications notifications, BillingConfig config) {
        this.store = store;
        this.ledger = ledger;
        this.notifications = notifications;
        this.defaultPercent = Math.max(0, Math.min(100, config.lowBalancePercent()));
    }

    /** The user's setting. */
    public AlertSettings settings(UUID userId) {
        UUID wallet = ledger.accountId(AccountKind.CONSUMER_WALLET, userId);
        return QuarkusTransaction.requiringNew().call(() -> view(store.freshAccount(wallet).orElseThrow()));
    }

    /**
     * Sets the user's threshold in currency units; null goes back to the default.
     *
     * @throws ProblemException 422 (nothing changes) for a negative or too large threshold or one with more decimals
     *                          than micros
     */
    public AlertSettings setThreshold(UUID userId, BigDecimal threshold) {
        Long micros = null;
        if (threshold != null) {
            if (threshold.signum() < 0 || threshold.compareTo(MAX_THRESHOLD) > 0) {
                throw ProblemException.invalid("low_balance_threshold", "must be 0 to " + MAX_THRESHOLD
                        + " (or null for the default: " + defaultPercent + "% of your last top-up)");
            }
            try {
                micros = Money.toMicros(threshold);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("low_balance_threshold", e.getMessage());
            }
        }
        UUID wallet = ledger.accountId(AccountKind.CONSUMER_WALLET, userId);
        Long set = micros;
        return QuarkusTransaction.requiringNew().call(() -> {
            store.setLowBalanceThreshold(wallet, set);
            return view(store.freshAccount(wallet).orElseThrow());
        });
    }

    /** Checks a wallet that the current ledger transaction debited; the notice is written if it commits. */
    void afterDebit(UUID walletAccount) {
        store.freshAccount(walletAccount).ifPresent(account -> notice(account).ifPresent(notifications::notify));
    }

    /** Checks wallets whose settled charges have just been committed (outside any transaction). */
    public void afterCharges(Collection<UUID> walletAccounts) {
        if (walletAccounts.isEmpty()) {
            return;
        }
        // one query per settled batch, on the settling thread: it must not slow the ledger down
        QuarkusTransaction.requiringNew().run(() -> {
            for (LedgerAccountEntity wallet : store.accounts(walletAccounts)) {
                notice(wallet).filter(n -> told.add(n.cause())).ifPresent(notifications::notify);
            }
        });
        if (told.size() > 100_000) {
            told.clear(); // only saves lookups: the notifications write each cause once anyway
        }
    }

    private java.util.Optional<Notifications.Notice> notice(LedgerAccountEntity wallet) {
        Long threshold = threshold(wallet);
        if (threshold == null || wallet.balance >= threshold || wallet.ownerId == null) {
            return java.util.Optional.empty();
        }
        String balance = Money.fromMicros(wallet.balance).toPlainString() + " " + wallet.currency;
        String limit = Money.fromMicros(threshold).toPlainString() + " " + wallet.currency;
        LOG.debugf("Wallet %s is at %s, below %s", wallet.id, balance, limit);
        return java.util.Optional.of(new Notifications.Notice(wallet.ownerId, "low_balance",
                "Low balance: " + balance + " left",
                "Your wallet's balance is " + balance + ", below your alert threshold of " + limit
                        + ". Top up to keep calling paid APIs; you are told again after your next top-up.",
                "/api/v1/users/me/credits",
                Map.of("balance", Money.fromMicros(wallet.balance), "threshold", Money.fromMicros(threshold),
                        "custom_threshold", wallet.lowBalanceThreshold != null),
                "low_balance:" + wallet.id + ":" + (wallet.lastTopUpId == null ? "none" : wallet.lastTopUpId)));
    }

    /** Micros, or null when no threshold applies. */
    private Long threshold(LedgerAccountEntity wallet) {
        if (wallet.lowBalanceThreshold != null) {
            return wallet.lowBalanceThreshold;
        }
        if (wallet.lastTopUpAmount == null || defaultPercent == 0) {
            return null;
        }
        return wallet.lastTopUpAmount * defaultPercent / 100;
    }

    private AlertSettings view(LedgerAccountEntity wallet) {
        Long threshold = threshold(wallet);
        return new AlertSettings(threshold == null ? null : Money.fromMicros(threshold),
                wallet.lowBalanceThreshold != null,
                wallet.lastTopUpAmount == null ? null : Money.fromMicros(wallet.lastTopUpAmount), wallet.currency);
    }
}
