package dev.tollgate.hosted.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a hosted API answered: a status in 100–599, headers (the content type included when the handler gave
 * {@code json} or {@code text}) and the body's bytes (empty, never {@code null}, when there is none).
 */
public record HostedResponse(int status, Map<String, String> headers, byte[] body) {

    /** The body as UTF-8 text, for tests and logs. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
