package dev.tollgate.notifications.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;

/** One event to deliver to one webhook endpoint, and where its delivery stands. */
@Entity
@Table(name = "webhook_deliveries")
public class DeliveryEntity {

    @Id
    public UUID id;

    /** The order of the endpoint's deliveries, assigned by the database. */
    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "endpoint_id", nullable = false)
    public UUID endpointId;

    /** The notification it carries: receivers use it to recognise a redelivery. */
    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** The exact body sent (and signed). */
    @Column(nullable = false)
    public String payload;

    /** {@code pending}, {@code delivered} or {@code failed}. */
    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;
}
