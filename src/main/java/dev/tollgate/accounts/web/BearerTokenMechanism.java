package dev.tollgate.accounts.web;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Problems;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Reads {@code Authorization: Bearer <access token>} for the control plane; verification is in the provider. */
@ApplicationScoped
class BearerTokenMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().nullItem();
        }
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(
                new TokenCredential(header.substring(7).trim(), "bearer"));
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** Like the default challenge, with a problem+json body. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        ProblemException refused = context.get(Problems.AUTHENTICATION_PROBLEM);
        Problems.write(context,
                refused != null ? refused : ProblemException.unauthorized("A valid access token is required."));
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
