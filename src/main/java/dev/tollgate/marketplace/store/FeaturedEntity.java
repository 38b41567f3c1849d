package dev.tollgate.marketplace.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A listing an admin featured (an API's, or an AI model's by the model's id). */
@Entity
@Table(name = "marketplace_featured")
public class FeaturedEntity {

    @Id
    @Column(name = "api_id")
    public UUID apiId;

    @Column(name = "featured_at", nullable = false)
    public Instant featuredAt;
}
