package dev.tollgate.aiproxy.internal;

import java.time.Clock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.aiproxy.AiConfig;
import dev.tollgate.aiproxy.AiLimits;
import dev.tollgate.aiproxy.AiState;
import dev.tollgate.aiproxy.ChannelHealth;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.gateway.CallCharging;
import dev.tollgate.gateway.ConsumerKeys;
import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.UsageSink;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The AI proxy's calls: {@code POST /v1/chat/completions} (OpenAI), {@code POST /v1/messages} (Anthropic) and
 * {@code POST /v1/embeddings}, also under {@code /api/v1}. Each call: the consumer key (401), the body (400, 413),
 * the model (404), the key's model scope (403) and limits (429), the worst case reserved from the consumer's credit
 * (402); then {@link AiExchange} sends it to the model's channels in order of preference, translating between the
 * formats where the channel speaks the other one, settles the actual cost and records a usage event. Errors are in the
 * caller's format. Data plane: reads only the in-memory snapshots, never the database, never blocks.
 */
@ApplicationScoped
class AiProxyHandler {

    private final AiState ai;
    private final GatewayState gateway;
    private final ChannelHealth health;
    private final CallCharging charging;
    private final UsageSink usage;
    private final AiConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final HttpClient client;
    private final boolean allowPrivate;
    private final AiLimits limits;
    private long evictionTimer = -1;

    AiProxyHandler(AiState ai, GatewayState gateway, ChannelHealth health, CallCharging charging, UsageSink usage,
            AiConfig config, GatewayConfig gatewayConfig, Clock clock, Vertx vertx, AiLimits limits) {
        this.ai = ai;
        this.gateway = gateway;
        this.health = health;
        this.charging = charging;
        this.usage = usage;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        this.limits = limits;
        this.allowPrivate = gatewayConfig.allowPrivateUpstreams();
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60)
                .setTcpNoDelay(true).setDecompressionSupported(false).setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(gatewayConfig.maxConnectionsPerUpstream()).setMaxWaitQueueSize(-1));
    }

    void install(@Observes Router router) {
        for (String prefix : new String[]{"/v1", "/api/v1"}) {
            router.post(prefix + "/chat/completions").order(-1_000).handler(handler(AiFormat.CHAT));
            router.post(prefix + "/messages").order(-1_000).handler(handler(AiFormat.MESSAGES));
            router.post(prefix + "/embeddings").order(-1_000).handler(handler(AiFormat.EMBEDDINGS));
        }
        router.post("/api/v1/ai/predict").order(-1_000).handler(handler(AiFormat.PREDICT));
        evictionTimer = vertx.setPeriodic(60_000, ignored -> limits.evictEnded(clock.millis()));
    }

    private Handler<RoutingContext> handler(AiFormat format) {
        return context -> handle(context, format);
    }

    void handle(RoutingContext context, AiFormat format) {
        HttpServerRequest request = context.request();
        long started = System.nanoTime();
        long now = clock.millis();
        ConsumerKeys.Check check = ConsumerKeys.check(request::getHeader, gateway.keys(), gateway.accounts(), now);
        if (!check.accepted()) {
            format.writeError(context, 401, check.refusal(), "invalid_api_key");
            usage.unattributed(401);
            return;
        }
        long max = config.maxRequestBodySize().asLongValue();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLong(declared) > max) {
            tooLarge(context, format, max);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = new boolean[1];
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > max) {
                over[0] = true;
                tooLarge(context, format, max);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(ignored -> over[0] = true);
        request.endHandler(ignored -> {
            if (!over[0]) {
                received(context, format, check, body, now, started);
            }
        });
        request.resume();
    }

    private void tooLarge(RoutingContext context, AiFormat format, long max) {
        format.writeError(context, 413, "The request body is larger than " + max + " bytes.", "request_too_large");
        usage.unattributed(413);
    }

    private void received(RoutingContext context, AiFormat format, ConsumerKeys.Check check, Buffer bytes, long now,
            long started) {
        JsonObject body;
        try {
            Object parsed = bytes.length() == 0 ? null : Json.decodeValue(bytes);
            if (!(parsed instanceof JsonObject object)) {
                invalid(context, format, "The body must be a JSON object.");
                return;
            }
            body = object;
        } catch (DecodeException e) {
            invalid(context, format, "The body is not valid JSON.");
            return;
        }
        if (format == AiFormat.PREDICT) {
            predict(context, check, body, bytes.length(), now, started);
            return;
        }
        String problem = problemWith(format, body);
        if (problem != null) {
            invalid(context, format, problem);
            return;
        }
        String name = body.getString("model");
        ModelRoute model = ai.models().byName().get(name);
        if (model == null) {
            unknownModel(context, format, name);
            return;
        }
        new AiExchange(this, context, format, check, body, model, model.channels(), bytes.length(), now, started)
                .start();
    }

    private void unknownModel(RoutingContext context, AiFormat format, String name) {
        format.writeError(context, 404, "The model '" + name
                + "' does not exist or is not available; GET /v1/models lists the models you can use.",
                "model_not_found");
        usage.unattributed(404);
    }

    private void predict(RoutingContext context, ConsumerKeys.Check check, JsonObject body, long bytesIn, long now,
            long started) {
        if (!(body.getValue("model_id") instanceof String modelId) || modelId.isBlank()) {
            unprocessable(context, "model_id: a model name or vendor:model is required");
            return;
        }
        Predictions.Target target = Predictions.target(ai.models(), modelId);
        if (target == null) {
            unknownModel(context, AiFormat.PREDICT, modelId);
            return;
        }
        JsonObject chat;
        try {
            chat = Predictions.chatRequest(body, target.model().name());
        } catch (IllegalArgumentException e) {
            unprocessable(context, e.getMessage());
            return;
        }
        String problem = problemWith(AiFormat.CHAT, chat);
        if (problem != null) {
            unprocessable(context, "parameters." + problem);
            return;
        }
        new AiExchange(this, context, AiFormat.PREDICT, check, chat, target.model(), target.channels(), bytesIn, now,
                started).start();
    }

    private void unprocessable(RoutingContext context, String message) {
        AiFormat.PREDICT.writeError(context, 422, message, "invalid_input");
        usage.unattributed(422);
    }

    private void invalid(RoutingContext context, AiFormat format, String message) {
        format.writeError(context, 400, message, null);
        usage.unattributed(400);
    }

    /** The first thing wrong with a call's body that every channel would refuse, or null. */
    static String problemWith(AiFormat format, JsonObject body) {
        if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
            return "model: a model name is required (GET /v1/models lists them).";
        }
        Object stream = body.getValue("stream");
        if (stream != null && !(stream instanceof Boolean)) {
            return "stream: expected a boolean.";
        }
        if (format == AiFormat.EMBEDDINGS) {
            Object input = body.getValue("input");
            if (!(input instanceof String) && !(input instanceof JsonArray)) {
                return "input: a string or an array is required.";
            }
            if (Boolean.TRUE.equals(stream)) {
                return "stream: embeddings are not streamed.";
            }
            return null;
        }
        if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
            return "messages: a non-empty array is required.";
        }
        for (String field : format == AiFormat.CHAT
                ? new String[]{"max_tokens", "max_completion_tokens", "n"}
                : new String[]{"max_tokens"}) {
            Object value = body.getValue(field);
            if (value != null && !(value instanceof Number n && n.longValue() == n.doubleValue() && n.longValue() > 0
                    && n.longValue() <= Integer.MAX_VALUE)) {
                return field + ": expected a positive integer.";
            }
        }
        if (format == AiFormat.MESSAGES && body.getValue("max_tokens") == null) {
            return "max_tokens: Field required.";
        }
        return null;
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    AiState ai() {
        return ai;
    }

    ChannelHealth health() {
        return health;
    }

    CallCharging charging() {
        return charging;
    }

    UsageSink usage() {
        return usage;
    }

    AiConfig config() {
        return config;
    }

    Vertx vertx() {
        return vertx;
    }

    HttpClient client() {
        return client;
    }

    boolean allowPrivate() {
        return allowPrivate;
    }

    AiLimits limits() {
        return limits;
    }

    @PreDestroy
    void stop() {
        if (evictionTimer >= 0) {
            vertx.cancelTimer(evictionTimer);
        }
        client.close();
    }
}
