package dev.tollgate.notifications.store;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** Which channels deliver one event type to one user; no row means all of them. */
@Entity
@Table(name = "notification_preferences")
@IdClass(PreferenceEntity.Key.class)
public class PreferenceEntity {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Id
    @Column(name = "notification_type")
    public String type;

    @Column(name = "in_app", nullable = false)
    public boolean inApp;

    @Column(nullable = false)
    public boolean email;

    @Column(nullable = false)
    public boolean webhook;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static class Key implements Serializable {
        public UUID userId;
        public String type;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(userId, key.userId) && Objects.equals(type, key.type);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, type);
        }
    }
}
