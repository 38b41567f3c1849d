package dev.tollgate.hosted.internal;

import java.util.List;
import java.util.Map;

/**
 * A request to a hosted API as the gateway hands it over: the method, the path below the API's slug (e.g.
 * {@code /facts/7}, not yet percent-decoded), the query parameters in order, the headers with lower-case names and the
 * body ({@code null} or empty when there is none). {@link Sandbox.Program#handle} turns it into the handler's
 * {@code req}.
 */
public record HostedRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
        byte[] body) {
}
