package dev.tollgate.accounts.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.AccountsConfig;
import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.LoginFailureEntity;

/**
 * Refuses logins after too many failures for one account or from one client address within a sliding window.
 * Failures are stored in the database, so the limit holds across nodes and restarts. Callers own the transaction.
 */
@ApplicationScoped
public class LoginThrottle {

    private final AccountStore store;
    private final int maxFailures;
    private final Duration window;

    LoginThrottle(AccountStore store, AccountsConfig config) {
        this.store = store;
        this.maxFailures = config.maxLoginFailures();
        this.window = config.loginFailureWindow();
    }

    /** Seconds until a login may be attempted again; 0 if it may be attempted now. */
    public long retryAfterSeconds(String accountKey, String clientAddress, Instant now) {
        Instant since = now.minus(window);
        Instant unlock = Instant.MIN;
        for (List<Instant> failures : List.of(store.failuresOfAccount(accountKey, since, maxFailures),
                store.failuresOfClient(clientAddress, since, maxFailures))) {
            if (failures.size() >= maxFailures) {
                // the window slides: the limit lifts when the oldest of the newest N failures expires
                Instant lifts = failures.get(maxFailures - 1).plus(window);
                if (lifts.isAfter(unlock)) {
                    unlock = lifts;
                }
            }
        }
        if (!unlock.isAfter(now)) {
            return 0;
        }
        return Math.max(1, (Duration.between(now, unlock).toMillis() + 999) / 1000);
    }

    public void recordFailure(String accountKey, String clientAddress, Instant now) {
        store.deleteFailuresBefore(now.minus(window));
        LoginFailureEntity failure = new LoginFailureEntity();
        failure.id = UUID.randomUUID();
        failure.accountKey = accountKey;
        failure.clientAddress = clientAddress;
        failure.failedAt = now;
        store.persist(failure);
    }

    public void recordSuccess(String accountKey) {
        store.clearFailuresOfAccount(accountKey);
    }
}
