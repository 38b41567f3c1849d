package dev.tollgate.gateway.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tollgate.gateway.HostedUpstream;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Problems;
import dev.tollgate.platform.RequestIds;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs a call of a hosted API: reads the request body whole (bounded by the API's limit and the runtime's), hands the
 * call to the {@link HostedUpstream}, and writes its answer back on the request's event loop. The outcome follows the
 * proxy's rules: the code's answer counts like an upstream's (charged below 500, also when the client left while the
 * code ran: the code did the work), a runtime failure (502/503/504) like an upstream that did not answer, a client
 * that left before the call was handed over is a 499 that costs nothing. The consumer's key and hop-by-hop headers are
 * not given to the code, and the code's hop-by-hop headers, {@code Content-Length} and {@code X-Request-ID} are not
 * given to the client (the gateway frames the response itself, so code cannot split it).
 */
final class HostedDispatch {

    private final Vertx vertx;
    private final HostedUpstream hosted;

    HostedDispatch(Vertx vertx, HostedUpstream hosted) {
        this.vertx = vertx;
        this.hosted = hosted;
    }

    void dispatch(RoutingContext context, CallContext call, String pathAndQuery, UpstreamProxy.Completion completion) {
        new Exchange(context, call, pathAndQuery, completion).start();
    }

    /** One call; its state changes on the request's event loop only. */
    private final class Exchange {
        final RoutingContext context;
        final HttpServerRequest request;
        final HttpServerResponse response;
        final CallContext call;
        final String pathAndQuery;
        final UpstreamProxy.Completion completion;
        final Context loop = vertx.getOrCreateContext();
        final long limit;
        Buffer body = Buffer.buffer();
        boolean finished;
        boolean tooLarge;
        boolean dispatched;
        boolean clientGone;
        long started;

        Exchange(RoutingContext context, CallContext call, String pathAndQuery, UpstreamProxy.Completion completion) {
            this.context = context;
            this.request = context.request();
            this.response = context.response();
            this.call = call;
            this.pathAndQuery = pathAndQuery;
            this.completion = completion;
            this.limit = hosted == null
                    ? call.maxRequestBodyBytes
                    : Math.min(call.maxRequestBodyBytes, hosted.maxRequestBodyBytes());
        }

        void start() {
            if (hosted == null) {
                fail(502, "Hosted APIs are not available on this node.", 0);
                return;
            }
            response.closeHandler(ignored -> {
                if (dispatched) {
                    clientGone = true; // the code runs on: its answer decides the charge
                } else if (!finished) {
                    finish(499, 0, -1);
                }
            });
            if (request.isEnded()) {
                run();
                return;
            }
            request.handler(chunk -> {
                if (finished || tooLarge) {
                    return;
                }
                if (body.length() + (long) chunk.length() > limit) {
                    tooLarge = true;
                    finish(413, 0, -1);
                    GatewayHandler.putHeaders(response, call);
                    Problems.write(context, new ProblemException(413, "Content Too Large", "The request body is"
                            + " over the " + limit + " bytes a call to the hosted API '" + call.api.slug()
                            + "' may send."));
                    return;
                }
                body.appendBuffer(chunk);
            });
            request.exceptionHandler(ignored -> {
                if (!finished) {
                    finish(499, 0, -1);
                }
            });
            request.endHandler(ignored -> {
                if (!finished && !tooLarge) {
                    run();
                }
            });
            request.resume();
        }

        private void run() {
            int query = pathAndQuery.indexOf('?');
            String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
            String rawQuery = query < 0 ? "" : pathAndQuery.substring(query + 1);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            String connectionTokens = request.headers().get(HttpHeaders.CONNECTION);
            for (var header : request.headers()) {
                String name = header.getKey();
                if (!UpstreamProxy.Hop.isHopByHop(name, connectionTokens) && !name.equalsIgnoreCase(call.keyHeader)) {
                    headers.add(Map.entry(name, header.getValue()));
                }
            }
            started = System.nanoTime();
            dispatched = true;
            hosted.call(new HostedUpstream.Call(call.api.id(), request.method().name(), path, rawQuery, headers,
                    body.getBytes(), RequestIds.of(context), call.api.timeoutMillis()),
                    answer -> loop.runOnContext(ignored -> answered(answer)));
        }

        private void answered(HostedUpstream.Answer answer) {
            if (finished) {
                return;
            }
            int latency = (int) ((System.nanoTime() - started) / 1_000_000);
            if (!answer.answered()) {
                fail(answer.status(), new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8), latency);
                return;
            }
            if (clientGone || response.closed()) {
                finish(499, answer.status(), latency);
                return;
            }
            response.setStatusCode(answer.status());
            answer.headers().forEach((name, value) -> {
                if (!UpstreamProxy.Hop.isHopByHop(name, null) && !name.equalsIgnoreCase("Content-Length")
                        && !name.equalsIgnoreCase("X-Request-ID")) {
                    response.headers().set(name, value);
                }
            });
            GatewayHandler.putHeaders(response, call);
            boolean bodiless = request.method() == HttpMethod.HEAD || answer.status() == 204
                    || answer.status() == 304;
            byte[] bytes = bodiless ? new byte[0] : answer.body();
            finish(answer.status(), answer.status(), latency, bytes.length);
            response.end(Buffer.buffer(bytes));
        }

        private void fail(int status, String detail, int latency) {
            finish(clientGone ? 499 : status, 0, latency);
            request.resume();
            if (clientGone || response.closed()) {
                return;
            }
            GatewayHandler.putHeaders(response, call);
            Problems.write(context, new ProblemException(status, Problems.title(status), detail));
        }

        private void finish(int status, int upstreamStatus, int latency) {
            finish(status, upstreamStatus, latency, 0);
        }

        private void finish(int status, int upstreamStatus, int latency, long bytesOut) {
            finished = true;
            completion.done(new UpstreamProxy.Outcome(status, upstreamStatus, latency, body.length(), bytesOut,
                    tooLarge));
        }
    }
}
