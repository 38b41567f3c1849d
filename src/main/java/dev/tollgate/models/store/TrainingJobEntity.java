package dev.tollgate.models.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A fine-tuning job a user started at a channel's provider; {@code status} is the provider's own. */
@Entity
@Table(name = "ai_training_jobs")
public class TrainingJobEntity {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "model_id", nullable = false)
    public UUID modelId;

    @Column(name = "model_name", nullable = false)
    public String modelName;

    @Column(name = "channel_id", nullable = false)
    public UUID channelId;

    @Column(name = "upstream_job_id", nullable = false)
    public String upstreamJobId;

    @Column(nullable = false)
    public String status;

    @Column(name = "fine_tuned_model")
    public String fineTunedModel;

    @Column
    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
