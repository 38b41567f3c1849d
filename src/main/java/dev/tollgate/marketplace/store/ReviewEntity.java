package dev.tollgate.marketplace.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A consumer's review of an API or AI model ({@code apiId} is then the model's id). */
@Entity
@Table(name = "marketplace_reviews")
public class ReviewEntity {

    @Id
    public UUID id;

    @Column(name = "api_id", nullable = false)
    public UUID apiId;

    @Column(name = "consumer_id", nullable = false)
    public UUID consumerId;

    @Column(nullable = false)
    public short rating;

    @Column(nullable = false)
    public String comment;

    public String reply;

    @Column(name = "replied_at")
    public Instant repliedAt;

    @Column(nullable = false)
    public boolean hidden;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
