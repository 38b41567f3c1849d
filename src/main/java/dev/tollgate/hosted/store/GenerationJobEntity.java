package dev.tollgate.hosted.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A prompt being turned into code by the generator model: its state, progress and result. */
@Entity
@Table(name = "generation_jobs")
public class GenerationJobEntity {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "api_id")
    public UUID apiId;

    @Column(nullable = false)
    public String prompt;

    public String name;

    /** {@code queued}, {@code running}, {@code ready} or {@code failed}. */
    @Column(nullable = false)
    public String status;

    public Integer version;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "cost_micros", nullable = false)
    public long costMicros;

    /** JSON array of {@code {at, stage, message}}. */
    @Column(nullable = false)
    public String progress;

    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
