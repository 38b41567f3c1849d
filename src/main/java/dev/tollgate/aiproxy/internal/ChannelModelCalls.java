package dev.tollgate.aiproxy.internal;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.aiproxy.AiConfig;
import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.aiproxy.AiState;
import dev.tollgate.aiproxy.ChannelHealth;
import dev.tollgate.aiproxy.ChannelRequests;
import dev.tollgate.aiproxy.ChannelWire;
import dev.tollgate.aiproxy.ModelCalls;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.gateway.CallCharging;
import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.RequestIds;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@link ModelCalls} over the models' channels, with the proxy's own parts: the channel order and circuit breakers,
 * the request translation for Anthropic channels, {@link ChannelRequests} for whole answers, the SSE parser, stream
 * translation and {@link StreamMeter} for streams, and {@link CallCharging} to reserve and settle (as
 * {@link AiExchange} does). Each call runs on one event-loop context of this class, so its state needs no locks.
 */
@ApplicationScoped
class ChannelModelCalls implements ModelCalls {

    private static final Logger LOG = Logger.getLogger(ChannelModelCalls.class);
    private static final int MAX_SHOWN = 500;

    private final AiState ai;
    private final ChannelHealth health;
    private final CallCharging charging;
    private final ChannelRequests requests;
    private final AiConfig config;
    private final Vertx vertx;
    private final boolean allowPrivate;
    private final HttpClient client;
    private final Context loop;

    ChannelModelCalls(AiState ai, ChannelHealth health, CallCharging charging, ChannelRequests requests,
            AiConfig config, GatewayConfig gateway, Vertx vertx) {
        this.ai = ai;
        this.health = health;
        this.charging = charging;
        this.requests = requests;
        this.config = config;
        this.vertx = vertx;
        this.allowPrivate = gateway.allowPrivateUpstreams();
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30)
                .setVerifyHost(true).setDecompressionSupported(true), new PoolOptions().setHttp1MaxSize(8));
        this.loop = ((VertxInternal) vertx).createEventLoopContext();
    }

    @Override
    public boolean exists(String model) {
        return model != null && ai.models().byName().containsKey(model);
    }

    @Override
    public CompletableFuture<Completion> complete(UUID payerUserId, String model, List<Message> messages,
            int maxTokens) {
        return start(payerUserId, model, messages, maxTokens, null);
    }

    @Override
    public CompletableFuture<Completion> stream(UUID payerUserId, String model, List<Message> messages, int maxTokens,
            Consumer<String> onDelta) {
        return start(payerUserId, model, messages, maxTokens, onDelta == null ? delta -> {
        } : onDelta);
    }

    private CompletableFuture<Completion> start(UUID payer, String name, List<Message> messages, int maxTokens,
            Consumer<String> onDelta) {
        if (payer == null) {
            throw new IllegalArgumentException("a payer is required");
        }
        if (messages == null || messages.stream().noneMatch(m -> m.role() != Role.SYSTEM)) {
            throw new IllegalArgumentException("a conversation needs at least one user or assistant message");
        }
        CompletableFuture<Completion> result = new CompletableFuture<>();
        ModelRoute model = name == null ? null : ai.models().byName().get(name);
        if (model == null) {
            result.completeExceptionally(new Failure(Failure.Kind.UNKNOWN_MODEL, "The model '" + name
                    + "' does not exist or is not enabled; GET /v1/models lists the models."));
            return result;
        }
        int cap = model.maxOutputTokens() > 0 ? model.maxOutputTokens() : config.defaultMaxOutputTokens();
        int output = maxTokens > 0 ? Math.min(cap, maxTokens) : cap;
        Call call = new Call(payer, model, chatRequest(messages), output, onDelta, result);
        loop.runOnContext(ignored -> call.start());
        return result;
    }

    /** The conversation as an OpenAI Chat Completions request (without model and limits). */
    static JsonObject chatRequest(List<Message> messages) {
        JsonArray out = new JsonArray();
        for (Message message : messages) {
            out.add(new JsonObject().put("role", message.role().name().toLowerCase(java.util.Locale.ROOT))
                    .put("content", message.text()));
        }
        return new JsonObject().put("messages", out);
    }

    /** One call, from the reservation to the settlement; every method runs on {@link #loop}. */
    private final class Call {
        private final UUID payer;
        private final ModelRoute model;
        private final JsonObject chat;
        private final int maxOutputTokens;
        /** Null for a whole answer. */
        private final Consumer<String> onDelta;
        private final CompletableFuture<Completion> result;
        private final List<ModelRoute.Channel> order;
        private final String callId = RequestIds.generateOrdered();
        private long reserved;
        private int attempt;
        private Failure.Kind lastKind = Failure.Kind.UPSTREAM_FAILED;
        private String lastError;
        private ModelRoute.Channel channel;
        private long sentAt;
        private boolean finished;
        // the stream's state
        private final StringBuilder text = new StringBuilder(1024);
        private boolean delivered;

        Call(UUID payer, ModelRoute model, JsonObject chat, int maxOutputTokens, Consumer<String> onDelta,
                CompletableFuture<Completion> result) {
            this.payer = payer;
            this.model = model;
            this.chat = chat;
            this.maxOutputTokens = maxOutputTokens;
            this.onDelta = onDelta;
            this.result = result;
            this.order = AiExchange.order(model.channels(), AiFormat.CHAT);
            this.lastError = "The model '" + model.name() + "' has no channel available.";
        }

        void start() {
            long reserve = AiExchange.cost(model, TokenCounter.promptBound(chat), 0, maxOutputTokens);
            if (reserve == 0) {
                next();
                return;
            }
            charging.reserve(payer, reserve, loop, refusal -> {
                if (refusal == null) {
                    reserved = reserve;
                    next();
                } else if (refusal == CallCharging.Refusal.NOT_ENOUGH_CREDIT) {
                    fail(new Failure(Failure.Kind.NOT_ENOUGH_CREDIT, "Your credit does not cover this call's worst"
                            + " case (" + Money.fromMicros(reserve).toPlainString() + " for the prompt and up to "
                            + maxOutputTokens + " output tokens of " + model.name() + "); top up your credit.",
                            reserve));
                } else {
                    fail(new Failure(Failure.Kind.CREDIT_UNAVAILABLE, "Credit could not be checked; retry shortly."));
                }
            });
        }

        /** The next channel whose circuit lets calls through; when none is left, fails with the last failure. */
        private void next() {
            channel = null;
            while (attempt < order.size()) {
                ModelRoute.Channel candidate = order.get(attempt++);
                if (health.tryAcquire(candidate.id())) {
                    channel = candidate;
                    break;
                }
                lastKind = Failure.Kind.UPSTREAM_FAILED;
                lastError = "Every channel of the model '" + model.name() + "' is failing; retry shortly.";
            }
            if (channel == null) {
                fail(new Failure(lastKind, lastError));
                return;
            }
            JsonObject body;
            try {
                body = upstreamBody(channel);
            } catch (RuntimeException e) {
                health.abandoned(channel.id());
                LOG.errorf(e, "Model call %s to %s: the request could not be made for %s", callId, model.name(),
                        channel);
                fail(new Failure(Failure.Kind.UPSTREAM_FAILED, "Tollgate could not build the request for the model."));
                return;
            }
            sentAt = System.nanoTime();
            if (onDelta == null) {
                ModelRoute.Channel target = channel;
                requests.send(target, HttpMethod.POST, path(target), body).onComplete(done -> loop.runOnContext(
                        ignored -> {
                            if (done.failed()) {
                                channelFailed(target, done.cause() instanceof ChannelRequests.NoAnswer no
                                        ? no.status()
                                        : 502, done.cause().getMessage());
                            } else {
                                answered(target, done.result().status(), done.result().json());
                            }
                        }));
            } else {
                sendStream(channel, body);
            }
        }

        private String path(ModelRoute.Channel target) {
            return target.provider() == AiProvider.ANTHROPIC
                    ? AiFormat.MESSAGES.upstreamPath
                    : AiFormat.CHAT.upstreamPath;
        }

        /** The request in the channel's protocol, with the output cap and (for a stream) the usage asked for. */
        private JsonObject upstreamBody(ModelRoute.Channel target) {
            JsonObject request = chat.copy();
            if (onDelta != null) {
                request.put("stream", true);
            }
            if (target.provider() == AiProvider.ANTHROPIC) {
                JsonObject out = Translation.chatRequestToMessages(request);
                return out.put("model", target.upstreamModel()).put("max_tokens", maxOutputTokens);
            }
            request.put("model", target.upstreamModel());
            request.put(target.provider() == AiProvider.OPENAI ? "max_completion_tokens" : "max_tokens",
                    maxOutputTokens);
            if (onDelta != null) {
                request.put("stream_options", new JsonObject().put("include_usage", true));
            }
            return request;
        }

        /** A channel gave no usable answer (no connection, timeout, 401/403, 429, 5xx): try the next one. */
        private void channelFailed(ModelRoute.Channel target, int status, String why) {
            health.failed(target.id(), why);
            lastKind = status == 504 ? Failure.Kind.TIMED_OUT : Failure.Kind.UPSTREAM_FAILED;
            lastError = status == 504
                    ? "The model '" + model.name() + "' did not answer in time."
                    : "The model '" + model.name() + "' is not available now (every channel failed); retry shortly.";
            LOG.debugf("Model call %s: channel %s failed: %s", callId, target.id(), why);
            next();
        }

        /** A status line and, unless it is a stream, the whole body. */
        private boolean failedOver(ModelRoute.Channel target, int status) {
            if (status == 429 || status >= 500 || status == 401 || status == 403) {
                channelFailed(target, status == 429 ? 429 : 502, status == 401 || status == 403
                        ? "the provider refused the platform's key (" + status + ")"
                        : "the provider answered " + status);
                return true;
            }
            health.succeeded(target.id(), (System.nanoTime() - sentAt) / 1_000_000);
            return false;
        }

        private void refused(ModelRoute.Channel target, int status, JsonObject error) {
            String message = ChannelRequests.shown(ChannelRequests.errorMessage(error), target, MAX_SHOWN);
            fail(new Failure(Failure.Kind.REFUSED, "The model's provider refused the call (" + status + ")"
                    + (message == null ? "." : ": " + message)));
        }

        private void answered(ModelRoute.Channel target, int status, JsonObject json) {
            if (failedOver(target, status)) {
                return;
            }
            if (status >= 300) {
                refused(target, status, json);
                return;
            }
            if (json == null) {
                fail(new Failure(Failure.Kind.UPSTREAM_FAILED, "The model's provider sent an answer that is not"
                        + " JSON."));
                return;
            }
            boolean anthropic = target.provider() == AiProvider.ANTHROPIC;
            String answer;
            TokenUsage used;
            try {
                JsonObject asChat = anthropic ? Translation.messagesResponseToChat(json, model.name()) : json;
                answer = textOf(asChat);
                JsonObject usage = json.getValue("usage") instanceof JsonObject u ? u : null;
                used = usage == null
                        ? null
                        : anthropic ? Translation.usageOfMessages(usage) : Translation.usageOfChat(usage);
                if (used == null) {
                    used = new TokenUsage(TokenCounter.prompt(chat), TokenCounter.answer(json), 0, true);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Model call %s to %s: the answer could not be read", callId, model.name());
                fail(new Failure(Failure.Kind.UPSTREAM_FAILED, "The model's answer could not be read."));
                return;
            }
            if (onDelta != null && !answer.isEmpty()) {
                deliver(answer); // a channel that answered a stream request whole
            }
            succeed(answer, used);
        }

        private void sendStream(ModelRoute.Channel target, JsonObject body) {
            MultiMap headers = HttpHeaders.headers().add(HttpHeaders.CONTENT_TYPE, "application/json")
                    .add(HttpHeaders.ACCEPT, "text/event-stream").add(HttpHeaders.USER_AGENT, "tollgate")
                    .add(RequestIds.HEADER, callId);
            ChannelWire.credentials(headers, target, null);
            Buffer payload = body.toBuffer();
            ChannelWire.resolve(vertx, target.upstream(), allowPrivate)
                    .compose(address -> client.request(ChannelWire.options(target, HttpMethod.POST, path(target),
                            headers, address, config)))
                    .compose(request -> request.send(payload))
                    .onComplete(done -> {
                        if (done.succeeded()) {
                            // held until this call's context has set its handlers: nothing may be read before
                            done.result().pause();
                        }
                    })
                    .onComplete(done -> loop.runOnContext(ignored -> {
                        if (done.failed()) {
                            ChannelWire.Failure failure = ChannelWire.failure(done.cause(), config);
                            channelFailed(target, failure.status(), failure.reason());
                        } else {
                            streamAnswered(target, done.result());
                        }
                    }));
        }

        private void streamAnswered(ModelRoute.Channel target, HttpClientResponse response) {
            int status = response.statusCode();
            String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
            if (status >= 300 || type == null || !type.startsWith("text/event-stream")) {
                response.body().onComplete(read -> loop.runOnContext(ignored -> {
                    if (read.failed()) {
                        ChannelWire.Failure failure = ChannelWire.failure(read.cause(), config);
                        channelFailed(target, failure.status(), failure.reason());
                    } else {
                        answered(target, status, json(read.result()));
                    }
                }));
                response.resume();
                return;
            }
            if (failedOver(target, status)) {
                return;
            }
            boolean anthropic = target.provider() == AiProvider.ANTHROPIC;
            StreamMeter meter = new StreamMeter(anthropic);
            StreamTranslator translator = anthropic ? Translation.messagesStreamToChat(model.name(), true) : null;
            Sse.Parser parser = new Sse.Parser();
            response.handler(chunk -> {
                for (Sse.Event event : parser.feed(chunk)) {
                    relay(event, meter, translator);
                }
            });
            response.exceptionHandler(e -> {
                if (finished) {
                    return;
                }
                if (!delivered) {
                    ChannelWire.Failure failure = ChannelWire.failure(e, config);
                    channelFailed(target, failure.status(), "the stream broke off before its first delta ("
                            + failure.reason() + ")");
                    return;
                }
                // what the caller received is charged, as the proxy does for a stream the upstream breaks off
                settle(meter.usage(() -> TokenCounter.prompt(chat)));
                fail(new Failure(Failure.Kind.UPSTREAM_FAILED, "The model's provider broke off the answer."));
            });
            response.endHandler(ignored -> {
                for (Sse.Event event : parser.end()) {
                    relay(event, meter, translator);
                }
                if (!finished) {
                    succeed(text.toString(), meter.usage(() -> TokenCounter.prompt(chat)));
                }
            });
            response.resume();
        }

        /** One upstream event: counted, turned into Chat Completions chunks, and their text delivered. */
        private void relay(Sse.Event event, StreamMeter meter, StreamTranslator translator) {
            if (finished) {
                return;
            }
            meter.observe(event);
            List<Sse.Event> chunks = translator == null ? List.of(event) : translator.accept(event);
            for (Sse.Event chunk : chunks) {
                String data = chunk.data();
                if (data.isEmpty() || data.charAt(0) != '{') {
                    continue;
                }
                JsonObject json;
                try {
                    json = new JsonObject(data);
                } catch (DecodeException e) {
                    continue;
                }
                if (json.getValue("choices") instanceof JsonArray choices) {
                    for (Object choice : choices) {
                        if (choice instanceof JsonObject c && c.getValue("delta") instanceof JsonObject delta
                                && delta.getValue("content") instanceof String piece && !piece.isEmpty()) {
                            text.append(piece);
                            deliver(piece);
                        }
                    }
                }
            }
        }

        private void deliver(String piece) {
            delivered = true;
            try {
                onDelta.accept(piece);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Model call %s: the caller's delta handler failed", callId);
            }
        }

        private void succeed(String answer, TokenUsage used) {
            if (finished) {
                return;
            }
            long cost = settle(used);
            finished = true;
            result.complete(new Completion(answer, used.inputTokens(), used.outputTokens(), cost, model.name(),
                    used.estimated()));
        }

        /** Charges the tokens once (at most the reservation) and gives back the rest; returns the charge. */
        private long settle(TokenUsage used) {
            long cost = AiExchange.cost(model, used.inputTokens() - used.cachedInputTokens(),
                    used.cachedInputTokens(), used.outputTokens());
            if (cost > reserved) {
                if (reserved > 0) {
                    LOG.warnf("Model call %s to %s cost %d micros, more than the %d reserved; charged the"
                            + " reservation", callId, model.name(), cost, reserved);
                }
                cost = reserved;
            }
            if (reserved > 0) {
                if (cost > 0) {
                    charging.settle(new CallCharging.Charge(callId, callId, payer, null, null, null, cost,
                            new CallCharging.Tokens(model.name(), used.inputTokens(), used.outputTokens(),
                                    used.cachedInputTokens(), used.estimated())),
                            reserved);
                } else {
                    charging.release(payer, reserved);
                }
                reserved = 0;
            }
            return cost;
        }

        private void fail(Failure failure) {
            if (finished) {
                return;
            }
            finished = true;
            if (reserved > 0) {
                charging.release(payer, reserved);
                reserved = 0;
            }
            result.completeExceptionally(failure);
        }
    }

    /** The text of a Chat Completions answer's first choice ("" when it has none). */
    private static String textOf(JsonObject chat) {
        if (chat.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
                && choices.getValue(0) instanceof JsonObject choice
                && choice.getValue("message") instanceof JsonObject message) {
            String text = Translation.textOf(message.getValue("content"));
            return text == null ? "" : text;
        }
        return "";
    }

    private static JsonObject json(Buffer bytes) {
        try {
            return bytes.length() == 0 || bytes.getByte(0) != '{' ? null : bytes.toJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @PreDestroy
    void stop() {
        client.close();
    }
}
