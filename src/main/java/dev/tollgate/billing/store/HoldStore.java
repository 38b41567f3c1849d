package dev.tollgate.billing.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongUnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.gateway.CallCharging;
import io.agroal.api.AgroalDataSource;

/**
 * Credit holds and batched charge settlement, in plain JDBC: each method is one database transaction. Balances of
 * several accounts always change in account-id order, so concurrent transactions cannot deadlock.
 */
@ApplicationScoped
public class HoldStore {

    /**
     * A charge to write: its idempotency key, the request it was for, the three accounts and the amounts; {@code tokens}
     * for an AI call (written as a transaction of its own, with its model and tokens), else null.
     */
    public record ChargeRow(String key, String requestId, UUID apiId, UUID walletAccount, UUID providerAccount,
            UUID platformAccount, long micros, long fee, CallCharging.Tokens tokens) {

        /** A gateway call's charge. */
        public ChargeRow(String key, String requestId, UUID apiId, UUID walletAccount, UUID providerAccount,
                UUID platformAccount, long micros, long fee) {
            this(key, requestId, apiId, walletAccount, providerAccount, platformAccount, micros, fee, null);
        }
    }

    private final AgroalDataSource dataSource;

    HoldStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Holds up to {@code want} micros of the wallet's available credit for the node; returns what it got. */
    public long lease(UUID walletAccount, String nodeId, long want, Instant expires) throws SQLException {
        return lease(walletAccount, nodeId, available -> Math.min(want, available), expires);
    }

    /**
     * Holds what {@code take} says of the wallet's available credit for the node (given what is available, under the
     * wallet's row lock); returns what it got.
     */
    public long lease(UUID walletAccount, String nodeId, LongUnaryOperator take, Instant expires)
            throws SQLException {
        try (Connection c = begin()) {
            try {
                long available;
                try (PreparedStatement select = c.prepareStatement(
                        "select balance - reserved from ledger_accounts where id = ? for update")) {
                    select.setObject(1, walletAccount);
                    try (ResultSet rs = select.executeQuery()) {
                        available = rs.next() ? rs.getLong(1) : 0;
                    }
                }
                long taken = Math.min(available, take.applyAsLong(Math.max(0, available)));
                if (taken > 0) {
                    update(c, "update ledger_accounts set reserved = reserved + ? where id = ?", taken,
                            walletAccount);
                    addToHold(c, walletAccount, nodeId, taken, expires);
                }
                c.commit();
                return Math.max(0, taken);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Returns unused held credit to the wallet. */
    public void giveBack(UUID walletAccount, String nodeId, long amount) throws SQLException {
        if (amount <= 0) {
            return;
        }
        try (Connection c = begin()) {
            try {
                update(c, "update ledger_accounts set reserved = reserved - ? where id = ?", amount, walletAccount);
                reduceHold(c, walletAccount, nodeId, amount);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Releases all holds of a node (its in-memory credit is gone: at start-up after a crash). */
    public long releaseNode(String nodeId) throws SQLException {
        return release("select id, account_id, amount from credit_holds where node_id = ? order by account_id",
                nodeId, null);
    }

    /** Releases holds that expired (their node stopped renewing them), except this node's own. */
    public long releaseExpired(String ownNodeId, Instant now) throws SQLException {
        return release("select id, account_id, amount from credit_holds where node_id <> ? and expires_at < ?"
                + " order by account_id", ownNodeId, now);
    }

    public void renew(String nodeId, Instant expires) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(
                        "update credit_holds set expires_at = ? where node_id = ?")) {
            update.setObject(1, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
            update.setString(2, nodeId);
            update.executeUpdate();
        }
    }

    /**
     * Writes charged calls to the ledger in one database transaction, aggregated: one ledger transaction per wallet,
     * provider and API (type {@code charge}, {@code calls} = how many calls) with the wallet's, provider's and
     * platform's entries, and each call's key in {@code call_charges}, whose primary key makes a call charged at most
     * once. A retried batch ({@code retry}: an earlier attempt may have committed) first skips the calls already
     * written; a first attempt skips that lookup, and a duplicate key fails it as a whole. The wallet's hold shrinks
     * by what it paid.
     *
     * @return how many calls were written
     */
    public int settle(List<ChargeRow> charges, String nodeId, String currency, boolean retry) throws SQLException {
        try (Connection c = begin()) {
            try {
                Set<String> done = retry ? existingKeys(c, charges) : new HashSet<>();
                OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
                // wallet, provider, api -> the calls of that group, in order
                Map<List<Object>, List<ChargeRow>> groups = new java.util.LinkedHashMap<>();
                for (ChargeRow charge : charges) {
                    if (done.add(charge.key())) {
                        // AI calls are grouped by model, so their line can show the model and the tokens
                        groups.computeIfAbsent(java.util.Arrays.asList(charge.walletAccount(),
                                charge.providerAccount(), charge.apiId(),
                                charge.tokens() == null ? "" : charge.tokens().model()),
                                g -> new ArrayList<>()).add(charge);
                    }
                }
                if (groups.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                Map<UUID, long[]> deltas = new TreeMap<>(); // account -> {balance, reserved}
                int written = 0;
                try (PreparedStatement tx = c.prepareStatement("insert into ledger_transactions (id, type,"
                        + " idempotency_key, description, actor_id, created_at, api_id, calls, model, input_tokens,"
                        + " output_tokens) values (?, 'charge', null, ?, null, ?, ?, ?, ?, ?, ?)");
                        PreparedStatement entry = c.prepareStatement("insert into ledger_entries (transaction_id,"
                                + " account_id, amount, currency, created_at) values (?, ?, ?, ?, ?)");
                        PreparedStatement key = c.prepareStatement("insert into call_charges (call_key,"
                                + " transaction_id) values (?, ?)")) {
                    for (List<ChargeRow> group : groups.values()) {
                        ChargeRow first = group.get(0);
                        long micros = 0;
                        long fees = 0;
                        UUID id = UUID.randomUUID();
                        for (ChargeRow charge : group) {
                            micros += charge.micros();
                            fees += charge.fee();
                            key.setString(1, charge.key());
                            key.setObject(2, id);
                            key.addBatch();
                        }
                        tx.setObject(1, id);
                        CallCharging.Tokens tokens = sum(group);
                        tx.setString(2, tokens != null
                                ? aiDescription(group.size(), first.requestId(), tokens)
                                : group.size() == 1
                                        ? "Call " + first.requestId() + " to API " + first.apiId()
                                        : group.size() + " calls to API " + first.apiId());
                        tx.setObject(3, at);
                        tx.setObject(4, first.apiId());
                        tx.setInt(5, group.size());
                        tx.setString(6, tokens == null ? null : tokens.model());
                        tx.setObject(7, tokens == null ? null : tokens.inputTokens(), Types.BIGINT);
                        tx.setObject(8, tokens == null ? null : tokens.outputTokens(), Types.BIGINT);
                        tx.addBatch();
                        addEntry(entry, id, first.walletAccount(), -micros, currency, at);
                        addEntry(entry, id, first.providerAccount(), micros - fees, currency, at);
                        if (fees > 0) {
                            addEntry(entry, id, first.platformAccount(), fees, currency, at);
                        }
                        deltas.computeIfAbsent(first.walletAccount(), a -> new long[2])[0] -= micros;
                        deltas.get(first.walletAccount())[1] -= micros;
                        deltas.computeIfAbsent(first.providerAccount(), a -> new long[2])[0] += micros - fees;
                        if (fees > 0) {
                            deltas.computeIfAbsent(first.platformAccount(), a -> new long[2])[0] += fees;
                        }
                        written += group.size();
                    }
                    tx.executeBatch();
                    entry.executeBatch();
                    key.executeBatch();
                }
                try (PreparedStatement update = c.prepareStatement(
                        "update ledger_accounts set balance = balance + ?, reserved = reserved + ? where id = ?")) {
                    for (Map.Entry<UUID, long[]> d : deltas.entrySet()) {
                        update.setLong(1, d.getValue()[0]);
                        update.setLong(2, d.getValue()[1]);
                        update.setObject(3, d.getKey());
                        update.addBatch();
                    }
                    update.executeBatch();
                }
                for (Map.Entry<UUID, long[]> d : deltas.entrySet()) {
                    if (d.getValue()[1] < 0) {
                        reduceHold(c, d.getKey(), nodeId, -d.getValue()[1]);
                    }
                }
                c.commit();
                return written;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The tokens of a group of AI calls to one model together; null for gateway calls. */
    private static CallCharging.Tokens sum(List<ChargeRow> group) {
        if (group.get(0).tokens() == null) {
            return null;
        }
        long input = 0;
        long output = 0;
        long cached = 0;
        boolean estimated = false;
        for (ChargeRow row : group) {
            input += row.tokens().inputTokens();
            output += row.tokens().outputTokens();
            cached += row.tokens().cachedInputTokens();
            estimated |= row.tokens().estimated();
        }
        return new CallCharging.Tokens(group.get(0).tokens().model(), input, output, cached, estimated);
    }

    private static String aiDescription(int calls, String requestId, CallCharging.Tokens tokens) {
        return (calls == 1 ? "AI call " + requestId : calls + " AI calls") + " to " + tokens.model() + ": "
                + tokens.inputTokens() + " input"
                + (tokens.cachedInputTokens() > 0 ? " (" + tokens.cachedInputTokens() + " cached)" : "") + " + "
                + tokens.outputTokens() + " output tokens" + (tokens.estimated() ? " (estimated)" : "");
    }

    private long release(String select, String nodeId, Instant before) throws SQLException {
        try (Connection c = begin()) {
            try {
                List<Object[]> holds = new ArrayList<>();
                try (PreparedStatement query = c.prepareStatement(select + " for update")) {
                    query.setString(1, nodeId);
                    if (before != null) {
                        query.setObject(2, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                    }
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            holds.add(new Object[]{rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                    rs.getLong(3)});
                        }
                    }
                }
                long total = 0;
                for (Object[] hold : holds) {
                    update(c, "update ledger_accounts set reserved = reserved - ? where id = ?", (Long) hold[2],
                            (UUID) hold[1]);
                    try (PreparedStatement delete = c.prepareStatement("delete from credit_holds where id = ?")) {
                        delete.setObject(1, hold[0]);
                        delete.executeUpdate();
                    }
                    total += (Long) hold[2];
                }
                c.commit();
                return total;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Connection begin() throws SQLException {
        // Agroal puts auto-commit back when the connection returns to the pool
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    private static Set<String> existingKeys(Connection c, List<ChargeRow> charges) throws SQLException {
        Set<String> keys = new HashSet<>();
        for (int from = 0; from < charges.size(); from += 500) {
            List<ChargeRow> part = charges.subList(from, Math.min(charges.size(), from + 500));
            StringBuilder sql = new StringBuilder("select call_key from call_charges where call_key in (");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            try (PreparedStatement select = c.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < part.size(); i++) {
                    select.setString(i + 1, part.get(i).key());
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
        }
        return keys;
    }

    private static void addEntry(PreparedStatement entry, UUID tx, UUID account, long amount, String currency,
            OffsetDateTime at) throws SQLException {
        entry.setObject(1, tx);
        entry.setObject(2, account);
        entry.setLong(3, amount);
        entry.setString(4, currency);
        entry.setObject(5, at);
        entry.addBatch();
    }

    private static void addToHold(Connection c, UUID account, String nodeId, long amount, Instant expires)
            throws SQLException {
        OffsetDateTime until = OffsetDateTime.ofInstant(expires, ZoneOffset.UTC);
        try (PreparedStatement update = c.prepareStatement("update credit_holds set amount = amount + ?,"
                + " expires_at = ? where account_id = ? and node_id = ?")) {
            update.setLong(1, amount);
            update.setObject(2, until);
            update.setObject(3, account);
            update.setString(4, nodeId);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("insert into credit_holds (id, account_id, node_id,"
                + " amount, created_at, expires_at) values (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, account);
            insert.setString(3, nodeId);
            insert.setLong(4, amount);
            insert.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            insert.setObject(6, until);
            insert.executeUpdate();
        }
    }

    private static void reduceHold(Connection c, UUID account, String nodeId, long amount) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "update credit_holds set amount = amount - ? where account_id = ? and node_id = ?")) {
            update.setLong(1, amount);
            update.setObject(2, account);
            update.setString(3, nodeId);
            update.executeUpdate();
        }
    }

    private static void update(Connection c, String sql, long amount, UUID account) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(sql)) {
            update.setLong(1, amount);
            update.setObject(2, account);
            update.executeUpdate();
        }
    }
}
