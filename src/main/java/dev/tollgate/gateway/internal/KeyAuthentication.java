package dev.tollgate.gateway.internal;

import java.util.Map;

import dev.tollgate.gateway.ConsumerKeys;
import dev.tollgate.platform.ProblemException;

/**
 * Identifies the caller by API key, from {@code Authorization: Bearer <key>} or {@code X-API-Key} (401 when missing,
 * unknown, revoked or expired, or when the owner's account is suspended); see {@link ConsumerKeys}.
 */
final class KeyAuthentication implements GatewayProcessor {

    static final String AUTHORIZATION = ConsumerKeys.AUTHORIZATION;
    static final String API_KEY = ConsumerKeys.API_KEY;
    private static final Map<String, Object> NO_EXTENSIONS = Map.of();
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"tollgate\"");

    @Override
    public ProblemException apply(CallContext call) {
        ConsumerKeys.Check check = ConsumerKeys.check(call.requestHeader, call.keys, call.accounts, call.nowMillis);
        if (!check.accepted()) {
            return new ProblemException(401, "Unauthorized", check.refusal(), NO_EXTENSIONS, CHALLENGE);
        }
        call.account = check.account();
        call.key = check.key();
        call.keyHeader = check.header();
        return null;
    }
}
