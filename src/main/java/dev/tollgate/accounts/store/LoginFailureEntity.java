package dev.tollgate.accounts.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A failed login, kept for the throttling window. */
@Entity
@Table(name = "login_failures")
public class LoginFailureEntity {

    @Id
    public UUID id;

    @Column(name = "account_key", nullable = false)
    public String accountKey;

    @Column(name = "client_address", nullable = false)
    public String clientAddress;

    @Column(name = "failed_at", nullable = false)
    public Instant failedAt;
}
