package dev.tollgate.assistant.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One message of a conversation; an assistant message carries the model, tokens and cost of its answer. */
@Entity
@Table(name = "assistant_messages")
public class AssistantMessageEntity {

    @Id
    public UUID id;

    @Column(name = "conversation_id", nullable = false)
    public UUID conversationId;

    @Column(nullable = false)
    public int seq;

    @Column(nullable = false)
    public String role;

    @Column(nullable = false, length = 64000)
    public String content;

    public String model;

    @Column(name = "input_tokens", nullable = false)
    public long inputTokens;

    @Column(name = "output_tokens", nullable = false)
    public long outputTokens;

    @Column(name = "cost_micros", nullable = false)
    public long costMicros;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
