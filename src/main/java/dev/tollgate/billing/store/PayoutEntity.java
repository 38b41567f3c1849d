package dev.tollgate.billing.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "payouts")
public class PayoutEntity {

    public static final String PENDING = "pending";
    /** Approved with a Stripe transfer under way; only approving it again (never rejecting) can decide it. */
    public static final String PROCESSING = "processing";
    public static final String PAID = "paid";
    public static final String REJECTED = "rejected";

    @Id
    public UUID id;

    @Column(name = "provider_id", nullable = false)
    public UUID providerId;

    /** Micros. */
    @Column(nullable = false)
    public long amount;

    @Column(nullable = false)
    public String currency;

    @Column(nullable = false)
    public String status;

    /** How it was paid (a bank or Stripe transfer reference). */
    public String reference;

    /** Why it was rejected. */
    public String note;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decided_by")
    public UUID decidedBy;
}
