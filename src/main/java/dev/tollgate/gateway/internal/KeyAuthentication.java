package dev.tollgate.gateway.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Secrets;

/**
 * Identifies the caller by API key, from {@code Authorization: Bearer <key>} or {@code X-API-Key} (401 when missing,
 * unknown, revoked or expired, or when the owner's account is suspended). Only the key's SHA-256 is compared, in
 * constant time.
 */
final class KeyAuthentication implements GatewayProcessor {

    static final String AUTHORIZATION = "Authorization";
    static final String API_KEY = "X-API-Key";
    private static final Map<String, Object> NO_EXTENSIONS = Map.of();
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"tollgate\"");

    @Override
    public ProblemException apply(CallContext call) {
        String secret = call.requestHeader.apply(API_KEY);
        String header = API_KEY;
        if (secret == null || secret.isBlank()) {
            String authorization = call.requestHeader.apply(AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                secret = authorization.substring(7);
                header = AUTHORIZATION;
            }
        }
        if (secret == null || secret.isBlank()) {
            return unauthorized("An API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key'.");
        }
        String hash = Secrets.sha256Hex(secret.trim());
        ApiKeyRule key = call.keys.byHash().get(hash);
        if (key == null || !MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                key.hashHex().getBytes(StandardCharsets.US_ASCII))) {
            return unauthorized("The API key is not valid (unknown, revoked or replaced by a rotation).");
        }
        if (key.expiresAtMillis() != 0 && key.expiresAtMillis() <= call.nowMillis) {
            return unauthorized("The API key has expired.");
        }
        call.account = call.accounts.byUser().get(key.ownerId());
        if (call.account != null && call.account.suspended()) {
            return unauthorized("The account that owns this API key is suspended.");
        }
        call.key = key;
        call.keyHeader = header;
        return null;
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, NO_EXTENSIONS, CHALLENGE);
    }
}
