package dev.tollgate.billing.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tollgate.billing.AccountKind;
import dev.tollgate.billing.BillingConfig;
import dev.tollgate.billing.HeldCredit;
import dev.tollgate.billing.Ledger;
import dev.tollgate.billing.LowBalanceAlerts;
import dev.tollgate.billing.store.HoldStore;
import dev.tollgate.gateway.CallCharging;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.WorkQueue;
import io.quarkus.runtime.StartupEvent;

/**
 * Charges pay-per-call plans without a database write per call. For each consumer it calls for, the node holds a
 * slice of the wallet (a {@code credit_holds} row that adds to the wallet's {@code reserved}, taken with a covered
 * check under a row lock, so all nodes together never hold more than the wallet has). Calls reserve their price from
 * that slice in memory; a call that is charged is settled into the ledger in batches (one ledger transaction per
 * call, keyed by its call id), a call that is not gives its price back to the slice. Slices of idle consumers go back
 * to their wallets; slices of a node that died are released by the others once they expire.
 * <p>
 * If a node is killed, the calls it charged but had not yet written go unbilled: per consumer at most
 * {@code max-unsettled-calls} calls' worth (beyond that the node takes no more credit until the ledger catches up, so
 * calls wait) plus the credit it held; the consumer's held credit is unavailable until the hold expires.
 */
@Singleton
class CreditGate implements CallCharging, HeldCredit, WorkQueue {

    private static final Logger LOG = Logger.getLogger(CreditGate.class);
    private static final long EXHAUSTED_NANOS = 1_000_000_000L;

    /** One consumer's credit on this node. Guarded by its own monitor. */
    private static final class Budget {
        final UUID consumerId;
        UUID walletAccount;
        long available;
        int inFlight;
        boolean leasing;
        boolean retired;
        long exhaustedUntil;
        /** The cheapest call refused when the wallet was found exhausted: cheaper calls may still fit. */
        long exhaustedPrice;
        long lastUse;
        /** Charged on this node and not yet written to the ledger. */
        long unsettled;
        /** When leasing started waiting for the ledger to catch up (0: not waiting). */
        long blockedSince;
        boolean parked;
        /** The price of the call that asked for a refill before the slice ran out (0: no refill asked). */
        long refillPrice;
        /**
         * A refill got nothing (the wallet is empty, or the database failed): no other is asked before this time;
         * calls still use what is held.
         */
        long noRefillUntil;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

        Budget(UUID consumerId) {
            this.consumerId = consumerId;
        }
    }

    private record Waiter(long micros, Consumer<Refusal> done) {
    }

    /** A charge waiting to be written, with the budget it came out of. */
    private record Queued(Charge charge, Budget budget, boolean retry) {
    }

    /** How long calls may wait for the ledger to catch up before they are refused as unavailable. */
    private static final long BLOCKED_MAX_NANOS = 10_000_000_000L;

    private final Ledger ledger;
    private final HoldStore holds;
    private final BillingConfig config;
    private final String nodeId;
    private final Map<UUID, Budget> budgets = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Queued> charges = new ConcurrentLinkedQueue<>();
    private final Map<UUID, UUID> providerAccounts = new ConcurrentHashMap<>();
    private final ExecutorService leases = Executors.newSingleThreadExecutor(r -> daemon(r, "tollgate-credit"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "tollgate-settle"));
    private volatile UUID platformAccount;
    private final long settleMillis;
    private final java.util.Set<Budget> parked = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean settleKicked = new java.util.concurrent.atomic.AtomicBoolean();

    private final LowBalanceAlerts lowBalance;

    CreditGate(Ledger ledger, HoldStore holds, BillingConfig config, LowBalanceAlerts lowBalance,
            @ConfigProperty(name = "tollgate.node-id") java.util.Optional<String> nodeId,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this.ledger = ledger;
        this.holds = holds;
        this.config = config;
        this.lowBalance = lowBalance;
        this.nodeId = nodeId.orElseGet(() -> hostName() + ":" + port);
        this.settleMillis = Math.max(10, config.settleInterval().toMillis());
    }

    void start(@Observes StartupEvent ignored) {
        try {
            long released = holds.releaseNode(nodeId);
            if (released > 0) {
                LOG.warnf("Released %s %s of credit held by this node (%s) before it last stopped",
                        Money.fromMicros(released), ledger.currency(), nodeId);
            }
        } catch (Exception e) {
            LOG.errorf("Could not release this node's old credit holds: %s", e.getMessage());
        }
        timers.scheduleWithFixedDelay(this::settleQueued, settleMillis, settleMillis, TimeUnit.MILLISECONDS);
        long housekeeping = Math.max(1_000, config.holdTtl().toMillis() / 5);
        timers.scheduleWithFixedDelay(this::housekeeping, housekeeping, housekeeping, TimeUnit.MILLISECONDS);
    }

    /**
     * A wallet this node found empty got credit: calls may use it at once instead of being refused until the
     * "exhausted" pause ends (other nodes notice within that pause, {@value #EXHAUSTED_NANOS} ns).
     */
    void walletCredited(@Observes(during = TransactionPhase.AFTER_SUCCESS) Ledger.WalletCredited credited) {
        Budget budget = budgets.get(credited.consumerId());
        if (budget != null) {
            synchronized (budget) {
                budget.exhaustedUntil = System.nanoTime();
                budget.noRefillUntil = budget.exhaustedUntil;
            }
        }
    }

    @Override
    public void reserve(UUID consumerId, long micros, Consumer<Refusal> done) {
        while (true) {
            Budget budget = budgets.computeIfAbsent(consumerId, Budget::new);
            Refusal refusal = null;
            boolean granted = false;
            boolean lease = false;
            synchronized (budget) {
                if (budget.retired) {
                    continue;
                }
                long now = System.nanoTime();
                budget.lastUse = now;
                if (budget.waiters.isEmpty() && budget.available >= micros) {
                    budget.available -= micros;
                    budget.inFlight++;
                    granted = true;
                    // less than half a slice left: take the next one now, so that calls need not wait for it
                    if (!budget.leasing && budget.available < micros * Math.max(1, config.leaseCalls() / 2)
                            && now - budget.noRefillUntil >= 0) {
                        budget.leasing = true;
                        budget.refillPrice = micros;
                        lease = true;
                    }
                } else if (budget.waiters.isEmpty() && !budget.leasing && now - budget.exhaustedUntil < 0
                        && micros >= budget.exhaustedPrice) {
                    refusal = Refusal.NOT_ENOUGH_CREDIT;
                } else {
                    budget.waiters.add(new Waiter(micros, done));
                    if (!budget.leasing) {
                        budget.leasing = true;
                        lease = true;
                    }
                }
            }
            if (lease) {
                leases.execute(() -> lease(budget));
            }
            if (granted || refusal != null) {
                done.accept(refusal);
            }
            return;
        }
    }

    @Override
    public void release(UUID consumerId, long micros) {
        Budget budget = budgets.get(consumerId);
        if (budget == null) {
            return;
        }
        synchronized (budget) {
            budget.available += micros;
            budget.inFlight--;
        }
    }

    @Override
    public void settle(Charge charge) {
        settle(charge, charge.micros());
    }

    @Override
    public void settle(Charge charge, long reservedMicros) {
        if (charge.micros() > reservedMicros || charge.micros() < 0) {
            throw new IllegalArgumentException("A call is charged at most what was reserved for it");
        }
        Budget budget = budgets.get(charge.consumerId());
        if (budget != null) {
            synchronized (budget) {
                budget.inFlight--;
                budget.available += reservedMicros - charge.micros();
                budget.unsettled += charge.micros();
            }
        }
        charges.add(new Queued(charge, budget, false));
    }

    /**
     * Takes more of the wallet for the waiting calls, or, with none waiting, the next slice a call asked for before the
     * node's ran out (a refill); runs on the lease thread.
     */
    private void lease(Budget budget) {
        long want;
        long unit;
        long held;
        boolean refill;
        List<Runnable> refused = new ArrayList<>();
        synchronized (budget) {
            long waiting = 0;
            long largest = 0;
            for (Waiter w : budget.waiters) {
                waiting += w.micros();
                largest = Math.max(largest, w.micros());
            }
            refill = budget.waiters.isEmpty();
            if (refill && (budget.refillPrice <= 0 || budget.retired || budget.unsettled > Math
                    .multiplyExact(budget.refillPrice, (long) config.maxUnsettledCalls()))) {
                budget.leasing = false;
                budget.refillPrice = 0;
                return;
            }
            if (refill) {
                largest = budget.refillPrice;
                unit = budget.refillPrice;
            } else {
                // waiters are served in order, so the slice is rounded to whole calls of the first one's price: a
                // dearer call queued behind a cheaper one must not make the cheaper one unaffordable
                unit = budget.waiters.peek().micros();
            }
            budget.refillPrice = 0;
            want = Math.max(Math.multiplyExact(largest, (long) config.leaseCalls()), waiting - budget.available);
            held = budget.available;
            // Backpressure: while more than max-unsettled-calls of this consumer's charges wait to be written, take
            // no more credit, so that what a killed node leaves unbilled stays bounded. Calls wait (up to 10 s).
            if (budget.unsettled > Math.multiplyExact(largest, (long) config.maxUnsettledCalls())) {
                long now = System.nanoTime();
                if (budget.blockedSince == 0) {
                    budget.blockedSince = now;
                }
                if (now - budget.blockedSince < BLOCKED_MAX_NANOS) {
                    park(budget);
                    return;
                }
                for (Waiter w : budget.waiters) {
                    refused.add(() -> w.done().accept(Refusal.UNAVAILABLE));
                }
                budget.waiters.clear();
                budget.leasing = false;
                budget.blockedSince = 0;
                LOG.errorf("Charges of %s are not being written to the ledger; refusing their calls",
                        budget.consumerId);
            } else {
                budget.blockedSince = 0;
            }
        }
        if (!refused.isEmpty()) {
            refused.forEach(Runnable::run);
            return;
        }
        long got = 0;
        Refusal failure = null;
        try {
            if (budget.walletAccount == null) {
                budget.walletAccount = ledger.accountId(AccountKind.CONSUMER_WALLET, budget.consumerId);
            }
            got = holds.lease(budget.walletAccount, nodeId, available -> wholeCalls(held, Math.min(want, available),
                    unit), Instant.now().plus(config.holdTtl()));
        } catch (Exception e) {
            LOG.errorf("Could not hold credit of %s: %s", budget.consumerId, e.getMessage());
            failure = Refusal.UNAVAILABLE;
        }
        List<Runnable> callbacks = new ArrayList<>();
        boolean again = false;
        synchronized (budget) {
            budget.available += got;
            while (!budget.waiters.isEmpty() && budget.available >= budget.waiters.peek().micros()) {
                Waiter w = budget.waiters.poll();
                budget.available -= w.micros();
                budget.inFlight++;
                callbacks.add(() -> w.done().accept(null));
            }
            if (budget.waiters.isEmpty()) {
                if (refill && got == 0) { // an empty wallet, or the database is down: not again for a while
                    budget.noRefillUntil = System.nanoTime() + EXHAUSTED_NANOS;
                }
            } else {
                if (got > 0) {
                    again = true;
                } else {
                    Refusal refusal = failure == null ? Refusal.NOT_ENOUGH_CREDIT : failure;
                    long cheapest = Long.MAX_VALUE;
                    for (Waiter w : budget.waiters) {
                        callbacks.add(() -> w.done().accept(refusal));
                        cheapest = Math.min(cheapest, w.micros());
                    }
                    budget.waiters.clear();
                    if (failure == null) {
                        budget.exhaustedUntil = System.nanoTime() + EXHAUSTED_NANOS;
                        budget.exhaustedPrice = cheapest;
                    }
                }
            }
            budget.leasing = again;
        }
        callbacks.forEach(Runnable::run);
        if (again) {
            leases.execute(() -> lease(budget));
        }
    }

    /**
     * How much of {@code take} to hold so that what the node then holds ({@code held} + it) is a whole number of calls
     * at the price {@code unit}: a slice never holds credit that no call at this price can use.
     */
    static long wholeCalls(long held, long take, long unit) {
        if (unit <= 0) {
            return take;
        }
        long usable = (held + take) / unit * unit - held;
        return Math.max(0, Math.min(take, usable));
    }

    @Override
    public long unusedMicros(UUID consumerId) {
        Budget budget = budgets.get(consumerId);
        if (budget == null) {
            return 0;
        }
        synchronized (budget) {
            return budget.available;
        }
    }

    /** Waits for the ledger to catch up with the budget's charges: retried after the next batch or interval. */
    private void park(Budget budget) {
        if (!budget.parked) {
            budget.parked = true;
            parked.add(budget);
            timers.schedule(() -> wake(budget), settleMillis, TimeUnit.MILLISECONDS);
        }
        if (settleKicked.compareAndSet(false, true)) {
            timers.execute(() -> {
                settleKicked.set(false);
                settleQueued();
            });
        }
    }

    private void wake(Budget budget) {
        parked.remove(budget);
        synchronized (budget) {
            budget.parked = false;
        }
        leases.execute(() -> lease(budget));
    }

    /**
     * Writes queued charges to the ledger; on failure they stay queued and are retried. Whether every charge it found
     * was written.
     */
    private boolean settleQueued() {
        try {
            while (!charges.isEmpty()) {
                List<Queued> batch = new ArrayList<>();
                for (Queued q; batch.size() < 2_000 && (q = charges.peek()) != null;) {
                    batch.add(q);
                    charges.poll();
                }
                List<HoldStore.ChargeRow> rows;
                try {
                    rows = rows(batch);
                    holds.settle(rows, nodeId, ledger.currency(), batch.stream().anyMatch(Queued::retry));
                } catch (Exception e) {
                    // it may have committed after all: the retry looks up what was written
                    batch.forEach(q -> charges.add(new Queued(q.charge(), q.budget(), true)));
                    LOG.errorf("Writing %d charges failed (%s); retrying", batch.size(), e.getMessage());
                    return false;
                }
                for (Queued q : batch) {
                    if (q.budget() != null) {
                        synchronized (q.budget()) {
                            q.budget().unsettled -= q.charge().micros();
                        }
                    }
                }
                parked.forEach(this::wake);
                tellLowBalances(rows);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Settling charges failed");
            return false;
        }
    }

    @Override
    public String name() {
        return "charges";
    }

    /** Charges waiting to be written (counted by walking the queue: for diagnostics, not the hot path). */
    @Override
    public int depth() {
        return charges.size();
    }

    @Override
    public int capacity() {
        return -1; // bounded per consumer by max-unsettled-calls instead
    }

    /**
     * Writes the queued charges now on the settling thread (so never beside a scheduled settlement), waiting at most
     * {@code timeout}; whether every charge queued before the call is written. Calls go on being charged meanwhile
     * (their charges are written by the next settlements).
     */
    @Override
    public boolean drain(java.time.Duration timeout) throws InterruptedException {
        java.util.concurrent.Callable<Boolean> settle = this::settleQueued;
        try {
            return timers.submit(settle).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** The charges are in the ledger: wallets they took below their owner's threshold tell them. */
    private void tellLowBalances(List<HoldStore.ChargeRow> rows) {
        try {
            lowBalance.afterCharges(rows.stream().map(HoldStore.ChargeRow::walletAccount)
                    .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Checking low balances after %d charges failed", rows.size());
        }
    }

    private List<HoldStore.ChargeRow> rows(List<Queued> batch) {
        if (platformAccount == null) {
            platformAccount = ledger.accountId(AccountKind.PLATFORM_REVENUE, null);
        }
        int percent = Math.max(0, Math.min(100, config.platformFeePercent()));
        List<HoldStore.ChargeRow> rows = new ArrayList<>(batch.size());
        for (Queued q : batch) {
            Charge c = q.charge();
            // the budget learnt its wallet's account when it first took credit
            UUID wallet = q.budget() != null && q.budget().walletAccount != null
                    ? q.budget().walletAccount
                    : ledger.accountId(AccountKind.CONSUMER_WALLET, c.consumerId());
            // a call the platform sells itself (an AI model) is platform revenue whole
            UUID provider = c.providerId() == null
                    ? platformAccount
                    : providerAccounts.computeIfAbsent(c.providerId(),
                            p -> ledger.accountId(AccountKind.PROVIDER_EARNINGS, p));
            long fee = c.providerId() == null ? 0 : c.micros() * percent / 100;
            rows.add(new HoldStore.ChargeRow("call:" + c.callId(), c.requestId(), c.apiId(), wallet, provider,
                    platformAccount, c.micros(), fee, c.tokens()));
        }
        return rows;
    }

    private void housekeeping() {
        try {
            Instant now = Instant.now();
            holds.renew(nodeId, now.plus(config.holdTtl()));
            long idleBefore = System.nanoTime() - config.idleRelease().toNanos();
            for (Budget budget : budgets.values()) {
                long giveBack;
                synchronized (budget) {
                    if (budget.inFlight > 0 || budget.leasing || !budget.waiters.isEmpty()
                            || budget.lastUse - idleBefore > 0 || budget.walletAccount == null) {
                        continue;
                    }
                    budget.retired = true;
                    giveBack = budget.available;
                    budget.available = 0;
                    budgets.remove(budget.consumerId, budget);
                }
                settleQueued();
                holds.giveBack(budget.walletAccount, nodeId, giveBack);
            }
            long expired = holds.releaseExpired(nodeId, now);
            if (expired > 0) {
                LOG.warnf("Released %s %s of credit held by nodes that stopped renewing their holds",
                        Money.fromMicros(expired), ledger.currency());
            }
        } catch (Exception e) {
            LOG.errorf("Credit housekeeping failed: %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        timers.shutdown();
        leases.shutdown();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
            leases.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        settleQueued();
        for (Budget budget : budgets.values()) {
            try {
                if (budget.walletAccount != null) {
                    holds.giveBack(budget.walletAccount, nodeId, budget.available);
                }
            } catch (Exception e) {
                LOG.errorf("Could not give back held credit of %s: %s", budget.consumerId, e.getMessage());
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
