package dev.tollgate.accounts.web;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.WebSessions;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The identity of a portal sign-in, built like an access token's: roles read fresh, CSRF token attached. */
@ApplicationScoped
class SessionCookieIdentityProvider implements IdentityProvider<SessionCookieMechanism.SessionCookieRequest> {

    private final WebSessions sessions;

    SessionCookieIdentityProvider(WebSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<SessionCookieMechanism.SessionCookieRequest> getRequestType() {
        return SessionCookieMechanism.SessionCookieRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionCookieMechanism.SessionCookieRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> sessions.active(request.token)
                .<SecurityIdentity>map(active -> QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(active.user().id().toString()))
                        .addRoles(Set.copyOf(active.user().roles()))
                        .addAttribute(CurrentUser.SESSION_ATTRIBUTE, active.loginSessionId())
                        .addAttribute(CurrentUser.CSRF_ATTRIBUTE, active.csrfToken())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("The portal sign-in has ended.")));
    }
}
