package dev.tollgate.models.store;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A way to reach a model. {@code apiKeySealed} is the upstream key sealed by {@code SecretBox}, never plain. */
@Entity
@Table(name = "ai_model_channels")
public class ChannelEntity {

    @Id
    public UUID id;

    @Column(name = "model_id", nullable = false)
    public UUID modelId;

    @Column(nullable = false)
    public String provider;

    @Column(name = "base_url", nullable = false)
    public String baseUrl;

    @Column(name = "api_key_sealed")
    public String apiKeySealed;

    @Column(name = "upstream_model", nullable = false)
    public String upstreamModel;

    @Column(nullable = false)
    public int priority;

    @Column(nullable = false)
    public int weight;

    @Column(nullable = false)
    public int position;

    @Override
    public String toString() {
        return "ChannelEntity[" + id + "]";
    }
}
