package dev.tollgate.hosted.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A hosted API's secret, sealed (AES-GCM, {@code platform.SecretBox}); the code reads it as {@code env.NAME}. */
@Entity
@Table(name = "hosted_secrets")
public class SecretEntity {

    @Id
    public UUID id;

    @Column(name = "api_id", nullable = false)
    public UUID apiId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String sealed;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
