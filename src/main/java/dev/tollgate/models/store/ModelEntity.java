package dev.tollgate.models.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An AI model; prices in micros per million tokens. */
@Entity
@Table(name = "ai_models")
public class ModelEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "input_per_million", nullable = false)
    public long inputPerMillion;

    @Column(name = "output_per_million", nullable = false)
    public long outputPerMillion;

    @Column(name = "cached_input_per_million")
    public Long cachedInputPerMillion;

    @Column(name = "max_output_tokens")
    public Integer maxOutputTokens;

    /** {@code chat} or {@code embedding}. */
    @Column(name = "model_type", nullable = false)
    public String modelType;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
