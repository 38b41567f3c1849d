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

    /** Attribute of a portal sign-in's identity holding its CSRF token. */
    public static final String CSRF_ATTRIBUTE = "tollgate.csrf";

    /** The portal's session cookie (HttpOnly, SameSite=Lax); only portal pages read it. */
    public static final String SESSION_COOKIE = "tollgate_session";

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

    /** The CSRF token of a portal sign-in; null for API clients (their bearer tokens are not sent by browsers). */
    public String csrfToken() {
        return identity.getAttribute(CSRF_ATTRIBUTE);
    }

    public boolean has(Role role) {
        return identity.hasRole(role.id());
    }
}
