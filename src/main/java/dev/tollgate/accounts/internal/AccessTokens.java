package dev.tollgate.accounts.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

import dev.tollgate.accounts.AccountsConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;

/** Issues and verifies access tokens: RS256 JWTs naming the user ({@code sub}) and the login ({@code sid}). */
@Singleton
public class AccessTokens {

    private final SigningKeys keys;
    private final AccountsConfig config;
    private final DefaultJWTParser parser;

    AccessTokens(SigningKeys keys, AccountsConfig config) {
        this.keys = keys;
        this.config = config;
        JWTAuthContextInfo context = new JWTAuthContextInfo(keys.publicKey(), config.issuer());
        context.setRequireNamedPrincipal(false);
        this.parser = new DefaultJWTParser(context);
    }

    /** The claims of a verified token: user, login and when it was issued. */
    public record Claims(UUID userId, UUID sessionId) {
    }

    public String issue(UUID userId, String username, List<String> roles, UUID sessionId, Instant now) {
        return Jwt.issuer(config.issuer())
                .subject(userId.toString())
                .upn(username)
                .groups(new HashSet<>(roles))
                .claim("sid", sessionId.toString())
                .issuedAt(now)
                .expiresAt(now.plus(config.accessTokenTtl()))
                .jws().keyId(keys.keyId())
                .sign(keys.privateKey());
    }

    public long ttlSeconds() {
        return config.accessTokenTtl().toSeconds();
    }

    /**
     * Verifies signature, issuer and expiry.
     *
     * @throws InvalidTokenException if the token is not one we issued or has expired
     */
    public Claims verify(String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            String sid = jwt.getClaim("sid");
            if (jwt.getSubject() == null || sid == null) {
                throw new InvalidTokenException();
            }
            return new Claims(UUID.fromString(jwt.getSubject()), UUID.fromString(sid));
        } catch (ParseException e) {
            throw new InvalidTokenException(hasExpired(e));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException();
        }
    }

    /** Whether the parser refused a token we signed only because it has expired (checked after its signature). */
    private static boolean hasExpired(ParseException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                return invalid.hasExpired();
            }
        }
        return false;
    }

    /** The token is malformed, forged, expired or not an access token; says only whether it expired. */
    public static class InvalidTokenException extends RuntimeException {
        private final boolean expired;

        InvalidTokenException() {
            this(false);
        }

        InvalidTokenException(boolean expired) {
            super(expired ? "expired access token" : "invalid access token", null, false, false);
            this.expired = expired;
        }

        /** True when the token was genuine and only its lifetime is over. */
        public boolean expired() {
            return expired;
        }
    }
}
