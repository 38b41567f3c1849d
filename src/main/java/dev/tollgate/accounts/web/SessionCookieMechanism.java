package dev.tollgate.accounts.web;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.platform.ProblemPages;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the portal's session cookie on portal pages only: the JSON API, the gateway and the AI proxy never accept a
 * cookie, so no other site can make a signed-in browser call them. An unknown or ended sign-in is anonymous (the
 * page offers to sign in), never an error.
 */
@ApplicationScoped
class SessionCookieMechanism implements HttpAuthenticationMechanism {

    /** A presented session cookie's token. */
    static final class SessionCookieRequest extends BaseAuthenticationRequest {
        final String token;

        SessionCookieRequest(String token) {
            this.token = token;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Cookie cookie = context.request().getCookie(CurrentUser.SESSION_COOKIE);
        if (cookie == null || !ProblemPages.isPagePath(context.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(new SessionCookieRequest(cookie.getValue()))
                .onFailure().recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionCookieRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY - 100; // after the bearer token
    }
}
