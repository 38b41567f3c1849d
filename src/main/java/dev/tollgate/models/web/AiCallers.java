package dev.tollgate.models.web;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import dev.tollgate.gateway.ConsumerKeys;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may read the AI catalogue: a signed-in user (access token) or a consumer API key, checked exactly as
 * {@code /v1} checks it ({@link ConsumerKeys} against the in-memory key snapshot). A key is recognised by
 * {@code X-API-Key}, or by its {@code tg_} prefix in {@code Authorization: Bearer}; any other bearer token is an
 * access token.
 */
@ApplicationScoped
class AiCallers {

    private final GatewayState gateway;
    private final SecurityIdentity identity;
    private final Clock clock;

    AiCallers(GatewayState gateway, SecurityIdentity identity, Clock clock) {
        this.gateway = gateway;
        this.identity = identity;
        this.clock = clock;
    }

    /** Returns when the caller is a signed-in user or holds a usable consumer key; else a 401 problem. */
    void requireUserOrKey(HttpHeaders headers) {
        String apiKey = headers.getHeaderString(ConsumerKeys.API_KEY);
        String authorization = headers.getHeaderString(ConsumerKeys.AUTHORIZATION);
        boolean bearerKey = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && authorization.substring(7).trim().startsWith(ApiKeys.SECRET_PREFIX);
        if ((apiKey != null && !apiKey.isBlank()) || bearerKey) {
            ConsumerKeys.Check check = ConsumerKeys.check(headers::getHeaderString, gateway.keys(),
                    gateway.accounts(), clock.millis());
            if (!check.accepted()) {
                throw ProblemException.unauthorized(check.refusal());
            }
            return;
        }
        // resolves the access token, if any (authentication is lazy); a refused one fails here with its own 401
        if (identity.isAnonymous()) {
            throw ProblemException.unauthorized("An access token or an API key is required: send "
                    + "'Authorization: Bearer <token or key>' or 'X-API-Key'.");
        }
    }
}
