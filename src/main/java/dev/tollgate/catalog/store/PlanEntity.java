package dev.tollgate.catalog.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "plans")
public class PlanEntity {

    @Id
    public UUID id;

    @Column(name = "api_id", nullable = false)
    public UUID apiId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String type;

    /** Micros. */
    @Column(name = "price_per_call", nullable = false)
    public long pricePerCall;

    /** Micros. */
    @Column(name = "monthly_price", nullable = false)
    public long monthlyPrice;

    @Column(name = "included_calls", nullable = false)
    public long includedCalls;

    @Column(name = "rate_limit_requests")
    public Long rateLimitRequests;

    @Column(name = "rate_limit_period")
    public String rateLimitPeriod;

    @Column(name = "monthly_quota")
    public Long monthlyQuota;

    /** Created with the API so that it can be subscribed to at once. */
    @Column(name = "is_default", nullable = false)
    public boolean isDefault;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Set when the plan was deleted while ended subscriptions still name it; such a plan is gone for everything else. */
    @Column(name = "retired_at")
    public Instant retiredAt;
}
