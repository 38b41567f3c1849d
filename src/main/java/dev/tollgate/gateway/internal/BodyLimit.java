package dev.tollgate.gateway.internal;

import java.util.Map;

import dev.tollgate.platform.ProblemException;

/**
 * Sets the call's request body limit (the API's own, else the platform's) and refuses at once, before anything is
 * counted or the upstream called, a body whose {@code Content-Length} is over it (413). Bodies without a length are
 * counted while they are piped upstream ({@link UpstreamProxy}).
 */
final class BodyLimit implements GatewayProcessor {

    static final String CONTENT_LENGTH = "Content-Length";

    private final long platformLimit;

    BodyLimit(long platformLimit) {
        this.platformLimit = platformLimit;
    }

    @Override
    public ProblemException apply(CallContext call) {
        long limit = call.api.maxRequestBodyBytes() > 0 ? call.api.maxRequestBodyBytes() : platformLimit;
        call.maxRequestBodyBytes = limit;
        String length = call.requestHeader.apply(CONTENT_LENGTH);
        if (length != null && declaredLength(length) > limit) {
            return tooLarge(call);
        }
        return null;
    }

    /** The 413 for a body over the call's limit; asks the client to close, as the rest of its body goes unread. */
    static ProblemException tooLarge(CallContext call) {
        return new ProblemException(413, "Content Too Large", "The request body is over the limit of "
                + call.maxRequestBodyBytes + " bytes for '" + call.api.slug() + "'.",
                Map.of("max_request_body_bytes", call.maxRequestBodyBytes), Map.of("Connection", "close"));
    }

    /** The declared length, or -1 when it is not a number (the HTTP server refuses those before we see them). */
    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
