package dev.tollgate.marketplace.store;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** An API or AI model a user saved for later. */
@Entity
@Table(name = "marketplace_saved")
@IdClass(SavedEntity.Key.class)
public class SavedEntity {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Id
    @Column(name = "api_id")
    public UUID apiId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The primary key: user and API. */
    public static class Key implements Serializable {

        public UUID userId;
        public UUID apiId;

        public Key() {
        }

        public Key(UUID userId, UUID apiId) {
            this.userId = userId;
            this.apiId = apiId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(userId, key.userId) && Objects.equals(apiId, key.apiId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, apiId);
        }
    }
}
