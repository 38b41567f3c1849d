package dev.tollgate.accounts;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The authenticated user of the current control-plane request. The security identity's principal name is the
 * user id; its attributes carry the login session id.
 */
@RequestScoped
public class CurrentUser {

    /** Attribute of the {@link SecurityIdentity} holding the login session id. */
    public static final String SESSION_ATTRIBUTE = "tollgate.session-id";

    private final SecurityIdentity identity;

    CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** Whether the request carries a valid access token (endpoints open to anyone ask before {@link #id}). */
    public boolean signedIn() {
        return !identity.isAnonymous();
    }

    public UUID id() {
        return UUID.fromString(identity.getPrincipal().getName());
    }

    public UUID sessionId() {
        return identity.getAttribute(SESSION_ATTRIBUTE);
    }

    public boolean has(Role role) {
        return identity.hasRole(role.id());
    }
}
