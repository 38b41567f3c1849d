package dev.tollgate.notifications.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's webhook endpoint. */
@Entity
@Table(name = "webhook_endpoints")
public class WebhookEntity {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(nullable = false)
    public String url;

    /** Comma-separated event types, or {@code *}. */
    @Column(nullable = false)
    public String events;

    public String description;

    /** The signing secret, sealed with the platform's encryption key. */
    @Column(nullable = false)
    public String secret;

    /** {@code active} or {@code disabled}. */
    @Column(nullable = false)
    public String status;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
