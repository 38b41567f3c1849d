package dev.tollgate.platform;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Requests the server makes to URLs its users give (OpenAPI documents to import, webhook endpoints), under the rules
 * of upstreams: http or https only, a public address unless private ones are allowed, the connection pinned to the
 * address that was checked (no second DNS lookup a name could answer differently), no redirects, one deadline for
 * connecting, sending and reading, and a bound on the body read.
 */
@ApplicationScoped
public class PublicHttp {

    /** What to send; {@code maxBytes} of the answer's body are kept (more fails it unless {@code truncate}). */
    public record Request(HttpMethod method, String url, Map<String, String> headers, String body, Duration deadline,
            int maxBytes, boolean truncate) {
    }

    /**
     * The answer: its status, the body read (at most the request's {@code maxBytes}), the time it took, and its headers
     * (lower-case names; a repeated header's values joined by {@code ", "}).
     */
    public record Answer(int status, Buffer body, boolean truncated, long millis, Map<String, String> headers) {

        /** An answer without headers. */
        public Answer(int status, Buffer body, boolean truncated, long millis) {
            this(status, body, truncated, millis, Map.of());
        }
    }

    /** The URL may not be requested; the message says why, as the end of a sentence starting with the URL. */
    public static class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The request did not get a whole answer: no connection, a reset, the deadline or a body over the limit. */
    public static class Failed extends RuntimeException {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient http;

    /** Public for callers outside CDI (tests of other features); the application injects the bean. */
    public PublicHttp(Vertx vertx) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setMaxRedirects(0)
                .setMaxPoolSize(32).setKeepAlive(false));
    }

    /**
     * Checks the URL and resolves its host: where to connect, or {@link Refused} (not http(s), too long, an unknown
     * host, or an internal address when those are not allowed).
     */
    public RequestOptions target(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new Refused("is not a valid URL");
        }
        boolean https = "https".equals(uri.getScheme());
        if (!(https || "http".equals(uri.getScheme())) || uri.getHost() == null || url.length() > 2000
                || uri.getRawUserInfo() != null) {
            throw new Refused("must be an http or https URL of at most 2000 characters, without a user or password");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        RequestOptions options = new RequestOptions().setHost(uri.getHost()).setPort(port).setSsl(https)
                .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                        ? "/"
                        : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .setFollowRedirects(false);
        if (!allowPrivate) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw new Refused("names an unknown host (" + uri.getHost() + ")");
            }
            for (InetAddress candidate : addresses) {
                if (NetworkAddresses.isInternal(candidate)) {
                    // which address is not said: the answer must not map the server's private network
                    throw new Refused("points at an internal address");
                }
            }
            options.setServer(SocketAddress.inetSocketAddress(port, addresses[0].getHostAddress()));
        }
        return options;
    }

    /**
     * Sends the request (checking its URL first: {@link Refused} is thrown here); the future fails with
     * {@link Failed} when no whole answer came within the deadline.
     */
    public CompletableFuture<Answer> send(Request request, boolean allowPrivate) {
        RequestOptions options = target(request.url(), allowPrivate).setMethod(request.method());
        request.headers().forEach(options::putHeader);
        long started = System.nanoTime();
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        CompletableFuture<HttpClientRequest> sent = new CompletableFuture<>();
        http.request(options).onComplete(created -> {
            if (created.failed()) {
                answer.completeExceptionally(new Failed(describe(created.cause())));
                return;
            }
            HttpClientRequest outgoing = created.result();
            sent.complete(outgoing);
            // the answer's handlers are set by the listener of send() itself, which runs on the event loop as the
            // answer's head arrives: a listener further down a chain of futures may run after a short body has
            // ended, when handlers can no longer be set
            (request.body() == null ? outgoing.send() : outgoing.send(request.body()))
                    .onComplete(result -> read(request, result, answer, started));
        });
        return answer.orTimeout(request.deadline().toMillis(), TimeUnit.MILLISECONDS).handle((done, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(done);
            }
            sent.thenAccept(HttpClientRequest::reset);
            Throwable cause = failure instanceof java.util.concurrent.CompletionException
                    ? failure.getCause()
                    : failure;
            return CompletableFuture.<Answer>failedFuture(cause instanceof TimeoutException
                    ? new Failed("did not answer within " + request.deadline().toMillis() + " ms")
                    : cause);
        }).thenCompose(f -> f);
    }

    /** Reads the answer's body into the future, up to the request's bound. */
    private static void read(Request request, io.vertx.core.AsyncResult<io.vertx.core.http.HttpClientResponse> result,
            CompletableFuture<Answer> answer, long started) {
        if (result.failed()) {
            answer.completeExceptionally(new Failed(describe(result.cause())));
            return;
        }
        var response = result.result();
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            int room = request.maxBytes() - received.length();
            if (chunk.length() <= room) {
                received.appendBuffer(chunk);
                return;
            }
            if (request.truncate()) {
                received.appendBuffer(chunk, 0, Math.max(room, 0));
                answer.complete(new Answer(response.statusCode(), received, true, millisSince(started),
                        headers(response.headers())));
            } else {
                answer.completeExceptionally(new Failed("gave a body larger than " + request.maxBytes()
                        + " bytes"));
            }
            response.request().reset();
        });
        response.exceptionHandler(e -> answer.completeExceptionally(new Failed(describe(e))));
        response.endHandler(ignored -> answer.complete(new Answer(response.statusCode(), received, false,
                millisSince(started), headers(response.headers()))));
    }

    private static Map<String, String> headers(io.vertx.core.MultiMap headers) {
        Map<String, String> joined = new java.util.LinkedHashMap<>();
        headers.forEach((name, value) -> joined.merge(name.toLowerCase(java.util.Locale.ROOT), value,
                (first, next) -> first + ", " + next));
        return Map.copyOf(joined);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return "could not be reached: " + (message == null ? failure.getClass().getSimpleName() : message);
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
