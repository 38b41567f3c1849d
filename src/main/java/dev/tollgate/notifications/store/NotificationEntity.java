package dev.tollgate.notifications.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "notifications")
public class NotificationEntity {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "notification_type", nullable = false)
    public String type;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String message;

    @Column(name = "action_url")
    public String actionUrl;

    /** A JSON object. */
    @Column(nullable = false)
    public String metadata;

    @Column(nullable = false)
    public String cause;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "read_at")
    public Instant readAt;

    /** Whether it shows in the user's history (their preferences); recorded either way. */
    @Column(name = "in_app", nullable = false)
    public boolean inApp = true;
}
