package dev.tollgate.hosted.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tollgate.platform.PublicHttp;
import io.vertx.core.http.HttpMethod;

/**
 * The hosted code's {@code fetch()} over {@link PublicHttp}, under the rules of upstreams: http(s) only, a public
 * address unless private upstreams are allowed (a name is resolved once and the connection pinned to the checked
 * address), no redirects, the request's timeout for the whole exchange and a bound on the answer's body (1 MB by
 * default; a larger one is refused, not cut, so the code never parses half a document). It blocks the calling thread,
 * a sandbox worker, never an event loop. Every refusal is a {@link Sandbox.Failure} whose message starts with the URL's
 * origin (scheme, host and port: never its path or query, which may carry a key) and says why, which the code sees as
 * a rejected {@code fetch}.
 */
public final class PublicFetcher implements Fetcher {

    /** The default bound on an answer's body. */
    public static final int MAX_BYTES = 1024 * 1024;

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Headers the connection owns; the code may not set them. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "proxy-authorization", "proxy-connection");

    private final PublicHttp http;
    private final boolean allowPrivate;
    private final int maxBytes;

    public PublicFetcher(PublicHttp http, boolean allowPrivate) {
        this(http, allowPrivate, MAX_BYTES);
    }

    public PublicFetcher(PublicHttp http, boolean allowPrivate, int maxBytes) {
        this.http = http;
        this.allowPrivate = allowPrivate;
        this.maxBytes = maxBytes;
    }

    @Override
    public FetchResponse fetch(FetchRequest request) {
        if (!METHODS.contains(request.method())) {
            throw new Sandbox.Failure("error", "the method " + request.method() + " is not supported; use one of "
                    + String.join(", ", METHODS.stream().sorted().toList()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> {
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new Sandbox.Failure("error", "the header \"" + name + "\" is not a valid HTTP header");
            }
            if (!RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, value);
            }
        });
        long millis = Math.max(1, request.timeout().toMillis());
        String where = origin(request.url());
        PublicHttp.Answer answer;
        try {
            answer = http.send(new PublicHttp.Request(HttpMethod.valueOf(request.method()), request.url(), headers,
                    request.body(), request.timeout(), maxBytes, false), allowPrivate)
                    // PublicHttp keeps the deadline itself; the extra second only guards against a lost completion
                    .get(millis + 1000, TimeUnit.MILLISECONDS);
        } catch (PublicHttp.Refused e) {
            throw new Sandbox.Failure("error", where + " " + e.getMessage() + ", which is not allowed");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new Sandbox.Failure("error", where + " " + (cause instanceof PublicHttp.Failed
                    ? cause.getMessage()
                    : "could not be reached"));
        } catch (TimeoutException e) {
            throw new Sandbox.Failure("error", where + " did not answer within " + millis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Sandbox.Failure("error", where + " was not requested: the call was interrupted");
        }
        return new FetchResponse(answer.status(), answer.headers(), answer.body().toString(StandardCharsets.UTF_8));
    }

    /** {@code scheme://host[:port]} of a URL, or {@code "The URL"} when it has none. */
    static String origin(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "The URL";
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost()
                    + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (URISyntaxException e) {
            return "The URL";
        }
    }
}
