package dev.tollgate.gateway.internal;

import java.net.InetAddress;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import dev.tollgate.gateway.Upstream;
import dev.tollgate.platform.NetworkAddresses;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Problems;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends one call upstream over the pooled keep-alive client and streams both bodies with back-pressure (no
 * buffering). Hop-by-hop headers and the consumer's key are not forwarded; {@code X-Forwarded-*} and
 * {@code X-Request-ID} are added. Upstream timeout → 504, refused or reset → 502, client gone → upstream request
 * reset, request body over the call's limit → upstream request reset and 413 (the connection is cut instead when the
 * response has already started). Unless private upstreams are allowed, the address is resolved here and refused if
 * internal, so a name that resolves inwards after registration cannot be used to reach the platform's network.
 */
final class UpstreamProxy {

    private static final Logger LOG = Logger.getLogger(UpstreamProxy.class);

    /**
     * What happened, for the usage event and for charging. {@code status} is what the call ended with (the upstream's
     * status, 499 when the client went away, 413, 502, 504); {@code upstreamStatus} is the status line the upstream
     * answered with, 0 if none came; {@code bodyTooLarge} says the gateway cut the request body at the call's limit.
     */
    record Outcome(int status, int upstreamStatus, int upstreamLatencyMs, long bytesIn, long bytesOut,
            boolean bodyTooLarge) {

        /**
         * Whether the call is charged: the upstream answered below 500 and the call ended with that answer, or
         * ended after it because the client went away or its body went over the limit (the client has had the
         * answer, or could have read it).
         */
        boolean charged() {
            return upstreamStatus > 0 && upstreamStatus < 500
                    && (status == upstreamStatus || status == 499 || bodyTooLarge);
        }

        /**
         * Whether the gateway refused the call before the upstream answered (its body went over the limit), so the
         * limit units it took are given back; an upstream's own 413 is an answer like any other.
         */
        boolean refusedByTheGateway() {
            return bodyTooLarge && upstreamStatus == 0;
        }
    }

    interface Completion {
        void done(Outcome outcome);
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final boolean allowPrivate;
    private final long connectTimeoutMillis;

    UpstreamProxy(Vertx vertx, HttpClient client, boolean allowPrivate, long connectTimeoutMillis) {
        this.vertx = vertx;
        this.client = client;
        this.allowPrivate = allowPrivate;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    void dispatch(RoutingContext context, CallContext call, String pathAndQuery, Completion completion) {
        Exchange exchange = new Exchange(context, call, pathAndQuery, completion);
        Upstream upstream = call.api.upstream();
        if (allowPrivate) {
            exchange.connect(null);
            return;
        }
        ((VertxInternal) vertx).resolveAddress(upstream.host(), resolved -> {
            if (resolved.failed()) {
                exchange.fail(502, "The upstream host " + upstream.host() + " could not be resolved.");
            } else if (NetworkAddresses.isInternal(resolved.result())) {
                exchange.fail(502, "The upstream resolves to an internal address, which this gateway does not call.");
            } else {
                exchange.connect(resolved.result());
            }
        });
    }

    /** The state of one proxied call; all of it runs on the request's event loop. */
    private final class Exchange {
        final RoutingContext context;
        final HttpServerRequest request;
        final HttpServerResponse response;
        final CallContext call;
        final String pathAndQuery;
        final Completion completion;
        final long started = System.nanoTime();
        HttpClientRequest upstreamRequest;
        long upstreamStarted;
        int upstreamLatencyMs = -1;
        int upstreamStatus;
        long bytesIn;
        long bytesOut;
        boolean finished;
        boolean bodyTooLarge;

        Exchange(RoutingContext context, CallContext call, String pathAndQuery, Completion completion) {
            this.context = context;
            this.request = context.request();
            this.response = context.response();
            this.call = call;
            this.pathAndQuery = pathAndQuery;
            this.completion = completion;
        }

        void connect(InetAddress address) {
            Upstream upstream = call.api.upstream();
            int timeout = call.api.timeoutMillis();
            RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(upstream.host())
                    .setPort(upstream.port()).setSsl(upstream.ssl()).setURI(upstream.basePath() + pathAndQuery)
                    .setConnectTimeout(Math.min(timeout, connectTimeoutMillis)).setIdleTimeout(timeout)
                    .setHeaders(forwardedHeaders());
            if (address != null) {
                options.setServer(SocketAddress.inetSocketAddress(upstream.port(), address.getHostAddress()));
            }
            response.closeHandler(ignored -> clientGone());
            upstreamStarted = System.nanoTime();
            client.request(options).onComplete(ready -> {
                if (ready.failed()) {
                    upstreamFailed(ready.cause());
                    return;
                }
                upstreamRequest = ready.result();
                if (finished) {
                    upstreamRequest.reset();
                    return;
                }
                upstreamRequest.response().onComplete(answer -> {
                    if (answer.failed()) {
                        upstreamFailed(answer.cause());
                    } else {
                        relay(answer.result());
                    }
                });
                sendBody();
            });
        }

        private MultiMap forwardedHeaders() {
            MultiMap in = request.headers();
            MultiMap out = HttpHeaders.headers();
            String connectionTokens = in.get(HttpHeaders.CONNECTION);
            for (var header : in) {
                String name = header.getKey();
                if (Hop.isHopByHop(name, connectionTokens) || name.equalsIgnoreCase(call.keyHeader)
                        || name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")) {
                    continue;
                }
                out.add(name, header.getValue());
            }
            String forwardedFor = in.get("X-Forwarded-For");
            String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
            out.set("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
            out.set("X-Forwarded-Proto", request.scheme() == null ? "http" : request.scheme());
            String host = in.get(HttpHeaders.HOST);
            if (host != null) {
                out.set("X-Forwarded-Host", host);
            }
            out.set("X-Request-ID", response.headers().get("X-Request-ID"));
            String length = in.get(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                out.set(HttpHeaders.CONTENT_LENGTH, length);
            }
            return out;
        }

        private void sendBody() {
            if (request.isEnded()) {
                upstreamRequest.end();
                return;
            }
            request.handler(this::bodyIn);
            request.endHandler(ignored -> {
                if (!finished) {
                    upstreamRequest.end();
                }
            });
            request.exceptionHandler(ignored -> clientGone());
            request.resume();
        }

        private void bodyIn(Buffer chunk) {
            if (finished) {
                return;
            }
            bytesIn += chunk.length();
            if (bytesIn > call.maxRequestBodyBytes) {
                tooLarge();
                return;
            }
            if (!upstreamRequest.isChunked() && !upstreamRequest.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                // a body of unknown length (chunked, or HTTP/2 without content-length) goes on chunked
                upstreamRequest.setChunked(true);
            }
            upstreamRequest.write(chunk);
            if (upstreamRequest.writeQueueFull()) {
                request.pause();
                upstreamRequest.drainHandler(ignored -> request.resume());
            }
        }

        private void relay(HttpClientResponse upstreamResponse) {
            if (finished) {
                return;
            }
            upstreamLatencyMs = (int) ((System.nanoTime() - upstreamStarted) / 1_000_000);
            upstreamStatus = upstreamResponse.statusCode();
            response.setStatusCode(upstreamResponse.statusCode());
            if (upstreamResponse.statusMessage() != null) {
                response.setStatusMessage(upstreamResponse.statusMessage());
            }
            MultiMap out = response.headers();
            String connectionTokens = upstreamResponse.getHeader(HttpHeaders.CONNECTION);
            for (var header : upstreamResponse.headers()) {
                String name = header.getKey();
                if (!Hop.isHopByHop(name, connectionTokens) && !name.equalsIgnoreCase("X-Request-ID")) {
                    out.add(name, header.getValue());
                }
            }
            GatewayHandler.putHeaders(response, call);
            boolean bodiless = request.method() == HttpMethod.HEAD || upstreamResponse.statusCode() == 204
                    || upstreamResponse.statusCode() == 304;
            if (!bodiless && upstreamResponse.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
                response.setChunked(true);
            }
            upstreamResponse.handler(chunk -> {
                if (finished || response.closed()) {
                    return;
                }
                bytesOut += chunk.length();
                response.write(chunk);
                if (response.writeQueueFull()) {
                    upstreamResponse.pause();
                    response.drainHandler(ignored -> upstreamResponse.resume());
                }
            });
            upstreamResponse.exceptionHandler(failure -> {
                if (!finished) {
                    // headers are out: the only honest signal left is to cut the connection
                    LOG.debugf("Upstream of %s failed mid-response: %s", call.api.slug(), failure.getMessage());
                    finish(502);
                    response.reset();
                }
            });
            upstreamResponse.endHandler(ignored -> {
                if (!finished && !response.closed()) {
                    finish(upstreamResponse.statusCode());
                    response.end();
                }
            });
        }

        private void upstreamFailed(Throwable failure) {
            if (finished) {
                return;
            }
            if (failure instanceof TimeoutException || failure instanceof ConnectTimeoutException) {
                fail(504, "The upstream did not answer within " + call.api.timeoutMillis() + " ms.");
            } else {
                fail(502, "The upstream could not be reached or closed the connection ("
                        + failure.getClass().getSimpleName() + ").");
            }
        }

        void fail(int status, String detail) {
            if (finished) {
                return;
            }
            finish(status);
            if (upstreamRequest != null) {
                upstreamRequest.reset();
            }
            if (response.headWritten()) {
                response.reset();
                return;
            }
            request.resume();
            GatewayHandler.putHeaders(response, call);
            ProblemException problem = new ProblemException(status, Problems.title(status), detail);
            Problems.write(context, problem);
        }

        /** The request body went over the call's limit while being piped: the upstream never gets the rest. */
        private void tooLarge() {
            bodyTooLarge = true;
            finish(413);
            upstreamRequest.reset();
            if (response.headWritten()) {
                response.reset();
                return;
            }
            GatewayHandler.putHeaders(response, call);
            Problems.write(context, BodyLimit.tooLarge(call));
        }

        private void clientGone() {
            if (finished) {
                return;
            }
            finish(499);
            if (upstreamRequest != null) {
                upstreamRequest.reset();
            }
        }

        private void finish(int status) {
            finished = true;
            completion.done(new Outcome(status, upstreamStatus, upstreamLatencyMs, bytesIn, bytesOut, bodyTooLarge));
        }
    }

    /** RFC 9110 §7.6.1: headers that describe one connection, not the message. */
    static final class Hop {
        private static final String[] NAMES = {"Connection", "Keep-Alive", "Proxy-Authenticate",
                "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade"};

        private Hop() {
        }

        static boolean isHopByHop(String name, String connectionTokens) {
            for (String hop : NAMES) {
                if (hop.equalsIgnoreCase(name)) {
                    return true;
                }
            }
            if (connectionTokens != null) {
                for (String token : connectionTokens.split(",")) {
                    if (token.trim().equalsIgnoreCase(name)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
