package dev.tollgate.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.UnaryOperator;

import dev.tollgate.platform.Secrets;

/**
 * Identifies a data-plane caller by consumer API key, against the in-memory key snapshot only: the key comes from
 * {@code X-API-Key} (also Anthropic's {@code x-api-key}: header names are case-insensitive) or
 * {@code Authorization: Bearer <key>}. Only the key's SHA-256 is compared, in constant time. Shared by the gateway
 * and the AI proxy so both accept exactly the same keys.
 */
public final class ConsumerKeys {

    public static final String AUTHORIZATION = "Authorization";
    public static final String API_KEY = "X-API-Key";

    private ConsumerKeys() {
    }

    /**
     * The outcome: either a usable {@code key} (with its owner's account rule, null for a default account, and the
     * header it came in) or a {@code refusal} to show the caller.
     */
    public record Check(ApiKeyRule key, AccountRule account, String header, String refusal) {

        public boolean accepted() {
            return refusal == null;
        }

        static Check refused(String refusal) {
            return new Check(null, null, null, refusal);
        }
    }

    /**
     * Refused when the key is missing, unknown, revoked, expired at {@code nowMillis}, or its owner's account is
     * suspended.
     */
    public static Check check(UnaryOperator<String> requestHeader, GatewayState.Keys keys,
            GatewayState.Accounts accounts, long nowMillis) {
        String secret = requestHeader.apply(API_KEY);
        String header = API_KEY;
        if (secret == null || secret.isBlank()) {
            String authorization = requestHeader.apply(AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                secret = authorization.substring(7);
                header = AUTHORIZATION;
            }
        }
        if (secret == null || secret.isBlank()) {
            return Check.refused(
                    "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key'.");
        }
        String hash = Secrets.sha256Hex(secret.trim());
        ApiKeyRule key = keys.byHash().get(hash);
        if (key == null || !MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                key.hashHex().getBytes(StandardCharsets.US_ASCII))) {
            return Check.refused("The API key is not valid (unknown, revoked or replaced by a rotation).");
        }
        if (key.expiresAtMillis() != 0 && key.expiresAtMillis() <= nowMillis) {
            return Check.refused("The API key has expired.");
        }
        AccountRule account = accounts.byUser().get(key.ownerId());
        if (account != null && account.suspended()) {
            return Check.refused("The account that owns this API key is suspended.");
        }
        return new Check(key, account, header, null);
    }
}
