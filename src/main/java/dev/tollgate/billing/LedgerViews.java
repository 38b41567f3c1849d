package dev.tollgate.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Ledger data as shown over the API; amounts in currency units. */
public final class LedgerViews {

    private LedgerViews() {
    }

    /** One side of a transaction. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String account, UUID ownerId, BigDecimal amount, String currency) {
    }

    /** A movement of money: its entries sum to zero. */
    public record Transaction(UUID id, String type, String description, Instant createdAt, List<Entry> entries) {
    }

    /**
     * A line of one of my accounts; {@code calls}: how many gateway calls a charge line covers; {@code model} and
     * the token counts only on the charge of an AI call.
     */
    public record Line(long id, UUID transactionId, String type, String description, String account,
            BigDecimal amount, String currency, UUID apiId, Integer calls,
            @JsonInclude(JsonInclude.Include.NON_NULL) String model,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long inputTokens,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long outputTokens, Instant createdAt) {
    }

    /** All accounts of one kind together. */
    public record KindTotal(String kind, BigDecimal balance, BigDecimal reserved, long accounts) {
    }

    /**
     * The platform's money at a glance: every account kind's total, and whether all balances sum to zero as
     * double-entry demands ({@code balanced}).
     */
    public record Summary(String currency, List<KindTotal> kinds, BigDecimal sum, boolean balanced) {
    }

    /**
     * My wallet: {@code reserved} is committed to calls not yet written (or held by other nodes), {@code available} =
     * {@code balance} − {@code reserved} is what I can still spend.
     */
    public record Credits(BigDecimal balance, BigDecimal reserved, BigDecimal available, String currency) {
    }
}
