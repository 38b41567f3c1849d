package dev.tollgate.billing.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "ledger_transactions")
public class LedgerTransactionEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String type;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(nullable = false)
    public String description;

    @Column(name = "actor_id")
    public UUID actorId;

    /** The API a charge was for. */
    @Column(name = "api_id")
    public UUID apiId;

    /** How many gateway calls a charge covers (charges are written aggregated); null for other movements. */
    public Integer calls;

    /** For the charge of an AI call: the model's public name and the call's tokens; null otherwise. */
    public String model;

    @Column(name = "input_tokens")
    public Long inputTokens;

    @Column(name = "output_tokens")
    public Long outputTokens;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
