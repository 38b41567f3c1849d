package dev.tollgate.hosted.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One entry of a hosted API's key/value store; {@code bytes} (key and value, UTF-8) counts against its quota. */
@Entity
@Table(name = "hosted_kv")
public class KvEntity {

    @Id
    public UUID id;

    @Column(name = "api_id", nullable = false)
    public UUID apiId;

    @Column(name = "k", nullable = false)
    public String key;

    @Column(name = "v", nullable = false)
    public String value;

    @Column(nullable = false)
    public int bytes;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
