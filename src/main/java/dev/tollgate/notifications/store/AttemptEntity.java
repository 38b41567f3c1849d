package dev.tollgate.notifications.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One attempt to deliver a webhook event: what the receiver answered, or why it could not. */
@Entity
@Table(name = "webhook_attempts")
public class AttemptEntity {

    @Id
    public UUID id;

    @Column(name = "delivery_id", nullable = false)
    public UUID deliveryId;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "attempted_at", nullable = false)
    public Instant attemptedAt;

    @Column(name = "status_code")
    public Integer statusCode;

    @Column(name = "latency_ms", nullable = false)
    public long latencyMs;

    @Column(name = "response_excerpt")
    public String responseExcerpt;

    public String error;
}
