package dev.tollgate.billing.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "ledger_accounts")
public class LedgerAccountEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    /** The owner's id as text, or {@code platform}. */
    @Column(name = "owner_key", nullable = false)
    public String ownerKey;

    @Column(name = "owner_id")
    public UUID ownerId;

    @Column(nullable = false)
    public String currency;

    /** Micros; the sum of the account's entries. Changed only by {@link LedgerStore#apply}. */
    @Column(nullable = false)
    public long balance;

    /** Micros held for movements in flight. */
    @Column(nullable = false)
    public long reserved;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Micros below which a charge tells the owner their balance is low; null: the default share of the last top-up. */
    @Column(name = "low_balance_threshold")
    public Long lowBalanceThreshold;

    /** The ledger transaction of the last top-up or grant credited to this wallet (null: none yet). */
    @Column(name = "last_top_up_id")
    public UUID lastTopUpId;

    /** Micros credited by that top-up or grant. */
    @Column(name = "last_top_up_amount")
    public Long lastTopUpAmount;
}
