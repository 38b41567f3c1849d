package dev.tollgate.accounts.web;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.accounts.Authentication;
import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.UserView;
import dev.tollgate.accounts.internal.AccessTokens;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

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
                throw new AuthenticationFailedException("invalid access token");
            }
            UserView user = authentication.activeUser(claims.userId(), claims.sessionId())
                    .orElseThrow(() -> new AuthenticationFailedException("login ended or user suspended"));
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(user.id().toString()))
                    .addRoles(java.util.Set.copyOf(user.roles()))
                    .addAttribute(CurrentUser.SESSION_ATTRIBUTE, claims.sessionId())
                    .addCredential(request.getToken())
                    .build();
        });
    }
}
