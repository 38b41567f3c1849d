package dev.tollgate.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.billing.store.LedgerStore;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Consumers' credits: what they hold, what admins grant them, and the lines of their accounts. */
@ApplicationScoped
public class Wallets {

    /** The most an admin grants in one go, in currency units. */
    static final BigDecimal MAX_GRANT = new BigDecimal("1000000");
    static final List<String> TYPES = List.of("grant", "topup", "charge", "subscription", "refund", "payout",
            "adjustment");

    /** A grant as admins see it: to whom, how much, why ({@code description}), by whom and when. */
    public record Grant(UUID transactionId, UUID userId, BigDecimal amount, String currency, String description,
            UUID grantedBy, Instant createdAt) {
    }

    /** A page of ledger lines with the total count. */
    public record Lines(List<LedgerViews.Line> lines, long total) {
    }

    /** A ledger line with the balance of its account right after it, in currency units. */
    public record StatementLine(LedgerViews.Line line, BigDecimal balanceAfter) {
    }

    /** A page of statement lines with the total count. */
    public record Statement(List<StatementLine> lines, long total) {
    }

    private final Ledger ledger;
    private final LedgerStore store;
    private final UserDirectory users;
    private final HeldCredit heldCredit;

    Wallets(Ledger ledger, LedgerStore store, UserDirectory users, HeldCredit heldCredit) {
        this.ledger = ledger;
        this.store = store;
        this.users = users;
        this.heldCredit = heldCredit;
    }

    /**
     * The wallet's balance, what is committed to calls ({@code reserved}: in flight, charged and not yet written, or
     * held by other nodes) and what the consumer can still spend ({@code available}). Credit this node holds for the
     * consumer but no call has taken is available, not reserved.
     */
    public LedgerViews.Credits credits(UUID userId) {
        // two reads, not one snapshot: a slice taken between them shows as reserved for a moment, and a slice given
        // back between them as available a moment early; the next read is exact again. Never below zero.
        long unused = heldCredit.unusedMicros(userId);
        long[] wallet = ledger.balanceOf(AccountKind.CONSUMER_WALLET, userId);
        long committed = Math.max(0, wallet[1] - unused);
        return new LedgerViews.Credits(Money.fromMicros(wallet[0]), Money.fromMicros(committed),
                Money.fromMicros(wallet[0] - committed), ledger.currency());
    }

    /**
     * Credits a user's wallet from the platform's grants account. With an idempotency key, asking again returns the
     * first grant instead of granting twice.
     */
    public Ledger.Posted grant(UUID adminId, UUID userId, BigDecimal amount, String reason, String idempotencyKey) {
        List<FieldError> errors = new ArrayList<>();
        if (userId == null) {
            errors.add(new FieldError("user_id", "is required"));
        }
        long micros = 0;
        if (amount == null) {
            errors.add(new FieldError("amount", "is required"));
        } else if (amount.signum() <= 0 || amount.compareTo(MAX_GRANT) > 0) {
            errors.add(new FieldError("amount", "must be more than 0 and at most " + MAX_GRANT));
        } else {
            try {
                micros = Money.toMicros(amount);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("amount", e.getMessage()));
            }
        }
        if (reason == null || reason.isBlank() || reason.length() > 300) {
            errors.add(new FieldError("reason", "is required, 1 to 300 characters"));
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 150)) {
            errors.add(new FieldError("Idempotency-Key", "must be 1 to 150 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        try {
            users.get(userId);
        } catch (ProblemException e) {
            throw ProblemException.invalid("user_id", "no user with id " + userId);
        }
        return ledger.post("grant", idempotencyKey == null ? null : "grant:" + adminId + ":" + idempotencyKey,
                "Grant: " + reason.trim(), adminId, List.of(new Ledger.Leg(AccountKind.CONSUMER_WALLET, userId, micros),
                        new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -micros)));
    }

    /**
     * Lines of all of the user's accounts, newest first, each with its account's balance just after it: the balance
     * now minus what the account's newer entries moved (the ledger keeps no running balance per entry). A line
     * written while this reads may put the figures a moment off; the next read is exact again.
     */
    public Statement statement(UUID userId, int skip, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<UUID, Long> balances = new HashMap<>();
            store.accountsOf(userId).forEach(a -> balances.put(a.id, a.balance));
            List<UUID> accounts = List.copyOf(balances.keySet());
            Map<UUID, Long> after = new HashMap<>();
            List<StatementLine> lines = new ArrayList<>();
            for (LedgerStore.Line l : store.lines(accounts, null, null, null, skip, limit)) {
                UUID account = l.entry().accountId;
                long balance = after.computeIfAbsent(account,
                        a -> balances.get(a) - store.sumAfter(a, l.entry().id));
                lines.add(new StatementLine(line(l), Money.fromMicros(balance)));
                after.put(account, balance - l.entry().amount);
            }
            return new Statement(lines, store.countLines(accounts, null, null, null));
        });
    }

    /** The newest grants of every admin, newest first. */
    public List<Grant> recentGrants(int limit) {
        UUID grants = ledger.accountId(AccountKind.PLATFORM_GRANTS, null);
        return QuarkusTransaction.requiringNew().call(() -> store.lines(List.of(grants), "grant", null, null, 0, limit)
                .stream().map(line -> {
                    UUID wallet = store.entriesOf(line.transaction().id).stream()
                            .filter(e -> !e.accountId.equals(grants)).map(e -> e.accountId).findFirst().orElse(null);
                    UUID userId = wallet == null
                            ? null
                            : store.accounts(List.of(wallet)).stream().map(a -> a.ownerId).findFirst().orElse(null);
                    return new Grant(line.transaction().id, userId, Money.fromMicros(-line.entry().amount),
                            line.entry().currency, line.transaction().description, line.transaction().actorId,
                            line.transaction().createdAt);
                }).toList());
    }

    /** Lines of all of the user's accounts, newest first. */
    public Lines lines(UUID userId, String type, Instant from, Instant to, int skip, int limit) {
        if (type != null && !TYPES.contains(type)) {
            throw ProblemException.invalid("type", "must be one of " + String.join(", ", TYPES));
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.invalid("to", "must be after from");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> accounts = store.accountsOf(userId).stream().map(a -> a.id).toList();
            List<LedgerViews.Line> lines = store.lines(accounts, type, from, to, skip, limit).stream()
                    .map(Wallets::line).toList();
            return new Lines(lines, store.countLines(accounts, type, from, to));
        });
    }

    private static LedgerViews.Line line(LedgerStore.Line l) {
        return new LedgerViews.Line(l.entry().id, l.transaction().id, l.transaction().type,
                l.transaction().description, l.accountKind(), Money.fromMicros(l.entry().amount), l.entry().currency,
                l.transaction().apiId, l.transaction().calls, l.transaction().model, l.transaction().inputTokens,
                l.transaction().outputTokens, l.entry().createdAt);
    }
}
