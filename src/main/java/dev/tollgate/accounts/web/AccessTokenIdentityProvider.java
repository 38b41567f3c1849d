package dev.tollgate.accounts.web;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.Authentication;
import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.UserView;
import dev.tollgate.accounts.internal.AccessTokens;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Problems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns a verified access token into an identity whose roles are read fresh from the database, after checking
 * that its login has not ended and the user is not suspended.
 */
@ApplicationScoped
class AccessTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final AccessTokens tokens;
    private final Authentication authentication;

    AccessTokenIdentityProvider(AccessTokens tokens, Authentication authentication) {
        this.tokens = tokens;
        this.authentication = authentication;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            AccessTokens.Claims claims;
            try {
                claims = tokens.verify(request.getToken().getToken());
            } catch (AccessTokens.InvalidTokenException e) {
                throw refused(request, e.expired()
                        ? "The access token has expired; get a new one from POST /api/v1/auth/refresh or log in again."
                        : "The access token is not valid.");
            }
            UserView user = authentication.activeUser(claims.userId(), claims.sessionId())
                    .orElseThrow(
                            () -> refused(request, "The access token's login has ended or its user is suspended."));
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(user.id().toString()))
                    .addRoles(java.util.Set.copyOf(user.roles()))
                    .addAttribute(CurrentUser.SESSION_ATTRIBUTE, claims.sessionId())
                    .addCredential(request.getToken())
                    .build();
        });
    }

    /**
     * The failure, with the problem to show: kept on the routing context for the challenge and as the cause for the
     * exception mappers, whichever of them answers.
     */
    private static AuthenticationFailedException refused(TokenAuthenticationRequest request, String detail) {
        ProblemException problem = ProblemException.invalidToken(detail);
        RoutingContext context = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (context != null) {
            context.put(Problems.AUTHENTICATION_PROBLEM, problem);
        }
        return new AuthenticationFailedException(detail, problem);
    }
}
