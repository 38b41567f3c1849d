package dev.tollgate.hosted.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Requests for the sandbox's tests, as the gateway would hand them over. */
final class TestRequests {

    private TestRequests() {
    }

    static HostedRequest get(String path) {
        return request("GET", path, null);
    }

    static HostedRequest request(String method, String path, String body) {
        return new HostedRequest(method, path, Map.of(), Map.of(), body == null
                ? null
                : body.getBytes(StandardCharsets.UTF_8));
    }

    static HostedRequest withQuery(String path, Map<String, List<String>> query) {
        return new HostedRequest("GET", path, query, Map.of("x-trace", "t-1"), null);
    }

    /** A module of the given {@code "METHOD /path": handler} entries, loaded. */
    static Sandbox.Program program(Sandbox sandbox, String routes) {
        return sandbox.load("export default { routes: { " + routes + " } };");
    }

    /** The kind of a {@link Sandbox.Failure}. */
    static String kind(Throwable e) {
        return ((Sandbox.Failure) e).kind();
    }
}
