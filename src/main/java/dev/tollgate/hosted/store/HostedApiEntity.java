package dev.tollgate.hosted.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which version of a hosted API the gateway serves. */
@Entity
@Table(name = "hosted_apis")
public class HostedApiEntity {

    @Id
    @Column(name = "api_id")
    public UUID apiId;

    /** Null before the first deploy. */
    @Column(name = "active_version")
    public Integer activeVersion;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "activated_by")
    public UUID activatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
