package dev.tollgate.hosted.internal;

import java.time.Duration;
import java.util.Map;

/**
 * Outbound HTTP for the hosted code's {@code fetch()}; blocking, called on the thread running the handler (a sandbox
 * worker, never an event loop). An implementation that refuses a request (a bad or internal URL, no answer, a body
 * over its bound) throws {@link Sandbox.Failure} with a message the code may read: the code sees a rejected promise
 * with a {@code TypeError} of that message, like a browser's network error. Any other exception is logged (its class only) and
 * reported to the code as a bare "The operation failed inside Tollgate", so nothing of the host leaks into it.
 * <p>
 * Inside an implementation, {@link FetchRequest} and {@link FetchResponse} need no qualifier (member types are
 * inherited).
 */
@FunctionalInterface
public interface Fetcher {

    /** Refuses every request: for programs that have no outbound access (and for tests). */
    Fetcher NONE = request -> {
        throw new Sandbox.Failure("error", "outbound requests are not enabled for this API");
    };

    FetchResponse fetch(FetchRequest request);

    /**
     * What the code asked for: an upper-case method, the URL, headers as given and a body ({@code null}: none). The
     * {@code timeout} is the time left for this fetch (the per-fetch limit or what remains of the call's deadline,
     * whichever is shorter).
     */
    record FetchRequest(String method, String url, Map<String, String> headers, String body, Duration timeout) {

        /** A request with the default per-fetch timeout of 10 s. */
        public FetchRequest(String method, String url, Map<String, String> headers, String body) {
            this(method, url, headers, body, Duration.ofSeconds(10));
        }
    }

    /** The answer the code sees: status, headers (names in lower case) and the body as text. */
    record FetchResponse(int status, Map<String, String> headers, String body) {
    }
}
