package dev.tollgate.catalog.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "subscriptions")
public class SubscriptionEntity {

    public static final String ACTIVE = "active";
    public static final String CANCELLED = "cancelled";

    @Id
    public UUID id;

    @Column(name = "consumer_id", nullable = false)
    public UUID consumerId;

    @Column(name = "api_id", nullable = false)
    public UUID apiId;

    @Column(name = "plan_id", nullable = false)
    public UUID planId;

    @Column(nullable = false)
    public String status;

    /** {@code consumer:api} while active, null after: a unique index allows one active subscription per pair. */
    @Column(name = "active_key")
    public String activeKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    /** The paid period of a subscription plan; null on other plans. */
    @Column(name = "current_period_start")
    public Instant currentPeriodStart;

    @Column(name = "current_period_end")
    public Instant currentPeriodEnd;

    /** How many periods were charged (the idempotency of each period's charge). */
    @Column(name = "period_number", nullable = false)
    public int periodNumber;

    /** When a renewal first failed; null while paid up. */
    @Column(name = "past_due_since")
    public Instant pastDueSince;

    public static String activeKey(UUID consumerId, UUID apiId) {
        return consumerId + ":" + apiId;
    }
}
