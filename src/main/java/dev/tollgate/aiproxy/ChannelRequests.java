package dev.tollgate.aiproxy;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.gateway.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.json.JsonObject;

/**
 * Single JSON calls to a channel's provider outside the proxy's call path (admin test calls, fine-tuning jobs,
 * {@link ModelCalls}):
 * authenticated the way the channel's protocol wants, within the AI timeouts, and — unless
 * {@code TOLLGATE_ALLOW_PRIVATE_UPSTREAMS} — only to a host that resolves to a public address, checked at each call
 * and connected to by that address (as the proxy does), so a name that changed since the channel was saved cannot
 * point a call inwards. Non-blocking (Vert.x client); the futures complete on an event loop.
 */
@ApplicationScoped
public class ChannelRequests {

    /** What the provider answered: its status, its body as JSON (null when it is not a JSON object). */
    public record Answer(int status, JsonObject json, long latencyMs) {
    }

    /** No answer: the host is refused or unknown (502), the connection failed (502) or timed out (504). */
    public static final class NoAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        NoAnswer(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** 502 (refused host, connection failed) or 504 (timed out). */
        public int status() {
            return status;
        }
    }

    private final Vertx vertx;
    private final AiConfig config;
    private final boolean allowPrivate;
    private final HttpClient client;
    private final Context loop;

    ChannelRequests(Vertx vertx, AiConfig config, GatewayConfig gateway) {
        this.vertx = vertx;
        this.config = config;
        this.allowPrivate = gateway.allowPrivateUpstreams();
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30)
                .setVerifyHost(true).setDecompressionSupported(true), new PoolOptions().setHttp1MaxSize(4));
        this.loop = ((VertxInternal) vertx).createEventLoopContext();
    }

    /**
     * Sends {@code body} (null: none) to {@code path} under the channel's base URL. Fails with {@link NoAnswer} when
     * no response came; any status is an {@link Answer}.
     */
    public Future<Answer> send(ModelRoute.Channel channel, HttpMethod method, String path, JsonObject body) {
        // On an event loop of our own, whatever thread or context calls: the answer never waits for the caller's
        // context (a blocked worker may be joining it), and a deadline bounds the whole call, pool wait included.
        Promise<Answer> answer = Promise.promise();
        long upstreamTimeout = config.upstreamTimeout().toMillis();
        long deadline = Math.min(upstreamTimeout, config.connectTimeout().toMillis()) + upstreamTimeout + 1_000;
        loop.runOnContext(ignored -> {
            long timer = vertx.setTimer(deadline, id -> answer.tryFail(new NoAnswer(504, "no answer within "
                    + upstreamTimeout + " ms")));
            resolveAndSend(channel, method, path, body).onComplete(done -> {
                vertx.cancelTimer(timer);
                if (done.succeeded()) {
                    answer.tryComplete(done.result());
                } else {
                    answer.tryFail(done.cause());
                }
            });
        });
        return answer.future();
    }

    private Future<Answer> resolveAndSend(ModelRoute.Channel channel, HttpMethod method, String path,
            JsonObject body) {
        MultiMap headers = HttpHeaders.headers().add(HttpHeaders.ACCEPT, "application/json")
                .add(HttpHeaders.USER_AGENT, "tollgate");
        if (body != null) {
            headers.add(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        ChannelWire.credentials(headers, channel, null);
        long started = System.nanoTime();
        return ChannelWire.resolve(vertx, channel.upstream(), allowPrivate)
                .compose(address -> client.request(ChannelWire.options(channel, method, path, headers, address,
                        config)))
                .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
                .compose(response -> {
                    long latencyMs = (System.nanoTime() - started) / 1_000_000;
                    return response.body().map(bytes -> new Answer(response.statusCode(), json(bytes), latencyMs));
                })
                .recover(e -> {
                    ChannelWire.Failure failure = ChannelWire.failure(e, config);
                    return Future.failedFuture(new NoAnswer(failure.status(), failure.reason()));
                });
    }

    private static JsonObject json(Buffer bytes) {
        try {
            return bytes.length() == 0 || bytes.getByte(0) != '{' ? null : bytes.toJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The provider's error message in either vendor's format ({@code {"error":{"message"}}}), or null. */
    public static String errorMessage(JsonObject body) {
        if (body != null && body.getValue("error") instanceof JsonObject error
                && error.getValue("message") instanceof String message) {
            return message;
        }
        return null;
    }

    /**
     * Text from a provider made safe to show: the channel's key (should a provider echo it) replaced, cut to
     * {@code max} characters.
     */
    public static String shown(String text, ModelRoute.Channel channel, int max) {
        if (text == null) {
            return null;
        }
        String safe = channel.apiKey() == null || channel.apiKey().isEmpty()
                ? text
                : text.replace(channel.apiKey(), "***");
        return safe.length() <= max ? safe : safe.substring(0, max) + "…";
    }

    @PreDestroy
    void stop() {
        client.close();
    }
}
