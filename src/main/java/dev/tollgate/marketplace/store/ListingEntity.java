package dev.tollgate.marketplace.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A public API on the marketplace. Null texts mean "the API's own" (its name, description, category, tags). */
@Entity
@Table(name = "marketplace_listings")
public class ListingEntity {

    @Id
    @Column(name = "api_id")
    public UUID apiId;

    public String title;

    public String description;

    public String category;

    /** Comma-separated; null: the API's tags. */
    public String tags;

    public String about;

    @Column(name = "logo_url")
    public String logoUrl;

    @Column(name = "published_at", nullable = false)
    public Instant publishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
