package dev.tollgate.accounts.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A browser's sign-in to the portal: the hash of its cookie's token, tied to one login session. */
@Entity
@Table(name = "web_sessions")
public class WebSessionEntity {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "login_session_id", nullable = false)
    public UUID loginSessionId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "csrf_token", nullable = false)
    public String csrfToken;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
