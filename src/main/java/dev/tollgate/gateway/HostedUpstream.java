package dev.tollgate.gateway;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The upstream of hosted APIs ({@link ApiRoute#hosted()}): code that Tollgate runs itself. The gateway does all its
 * checks as for a proxied API, reads the request body (bounded), and hands the call here; the implementation runs it
 * off the event loop and answers once, on any thread. Implemented by the hosted feature, so the gateway does not
 * depend on it.
 */
public interface HostedUpstream {

    /** One call as the code gets it: the path below the API's slug, the raw query, the headers, the whole body. */
    record Call(UUID apiId, String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
            byte[] body, String requestId, int timeoutMillis) {
    }

    /**
     * What came of it. {@code answered}: the code produced this response (its status counts like an upstream's);
     * otherwise the runtime refused or stopped the call ({@code status} 502, 503 or 504, {@code body} a problem).
     */
    record Answer(int status, Map<String, String> headers, byte[] body, boolean answered) {
    }

    /** The largest request body a hosted API gets, whatever its own limit: the body is read whole. */
    long maxRequestBodyBytes();

    /** Runs the call; {@code done} is called exactly once. Never blocks the caller. */
    void call(Call call, Consumer<Answer> done);
}
