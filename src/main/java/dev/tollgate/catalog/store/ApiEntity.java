package dev.tollgate.catalog.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "apis")
public class ApiEntity {

    @Id
    public UUID id;

    @Column(name = "owner_id", nullable = false)
    public UUID ownerId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String slug;

    @Column(nullable = false)
    public String description;

    /** Empty for a hosted API. */
    @Column(name = "base_url", nullable = false)
    public String baseUrl;

    /** {@code proxy} (calls go to base_url) or {@code hosted} (Tollgate runs the API's code). */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String version;

    public String category;

    /** Comma-separated. */
    @Column(nullable = false)
    public String tags;

    @Column(nullable = false)
    public String visibility;

    @Column(nullable = false)
    public String status;

    @Column(name = "timeout_ms", nullable = false)
    public int timeoutMs;

    /** The API's own request body limit; null for the platform's default. */
    @Column(name = "max_request_body_bytes")
    public Long maxRequestBodyBytes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public List<String> tagList() {
        return tags.isEmpty() ? List.of() : Arrays.asList(tags.split(","));
    }
}
