package dev.tollgate.aiproxy.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import dev.tollgate.aiproxy.AiLimits;
import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.aiproxy.ChannelWire;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.gateway.CallCharging;
import dev.tollgate.gateway.ConsumerKeys;
import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.platform.Durations;
import dev.tollgate.platform.RequestIds;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One AI call from the reservation to the usage event; all of it runs on the request's event loop.
 * <ul>
 * <li><b>Reserve.</b> The worst case — the prompt as JTokkit counts it, plus half again and 100 tokens for other
 * tokenizers, and the most output the call may produce ({@code max_tokens}, capped by the model, else the default
 * cap, which is then sent upstream) — is reserved from the consumer's credit (402 when it does not fit) and from the
 * key's monthly spend cap.</li>
 * <li><b>Route.</b> Channels by priority, equal priorities shuffled by weight; a channel whose circuit is open is
 * skipped. On a connect error, a timeout, 401/403 (the platform's key at the provider is wrong), 429 or 5xx the next
 * channel is tried — only before anything has been sent to the client, and never the same channel twice. Once the
 * first byte is out there is no retry.</li>
 * <li><b>Relay.</b> Non-streaming answers are translated whole; streams event by event as they arrive (never
 * buffered), with back-pressure.</li>
 * <li><b>Settle.</b> The cost of the tokens the upstream reports (else counts with JTokkit, marked estimated), at
 * most what was reserved, is charged once; the rest is given back. A stream the client leaves is charged for what
 * was generated until then; a call that produced nothing for the client is not charged.</li>
 * </ul>
 */
final class AiExchange {

    private static final Logger LOG = Logger.getLogger(AiExchange.class);

    private final AiProxyHandler proxy;
    private final RoutingContext context;
    private final HttpServerResponse response;
    private final Context eventLoop;
    /** The format of the call on the wire (what is translated to the channel's protocol). */
    private final AiFormat format;
    /** The format the caller gets answers and errors in: {@link #format}, or PREDICT for a CHAT call. */
    private final AiFormat caller;
    private final ConsumerKeys.Check check;
    private final JsonObject body;
    private final ModelRoute model;
    private final long bytesIn;
    private final long nowMillis;
    private final long started;
    private final boolean stream;
    /** The caller asked for OpenAI's usage chunk itself. */
    private final boolean callerWantsUsage;
    /** At least the prompt's tokens, for the reservation. */
    private final long promptBound;
    /** The prompt's tokens as JTokkit counts them, for a call whose upstream reports none (-1: not counted yet). */
    private long promptEstimate = -1;
    private final int maxOutputTokens;
    private final List<ModelRoute.Channel> order;

    /** Credit reserved for the call (0 until the reservation is granted). */
    private long reserved;
    /** What the call holds of the key's monthly spend cap. */
    private long capReserved;
    private long spendCap = -1;
    private boolean limited;
    private int attempt;
    private ModelRoute.Channel channel;
    private HttpClientRequest upstreamRequest;
    private long upstreamStarted;
    private int upstreamLatencyMs = -1;
    /** When the answering channel's status line arrived (0: no channel answered). */
    private long answeredAt;
    private int lastStatus = 502;
    private String lastError = "No channel of this model is available.";
    private boolean finished;
    /** Something has been written to the client: no failover any more. */
    private boolean committed;
    private StreamMeter meter;
    private StreamTranslator translator;
    private long bytesOut;

    AiExchange(AiProxyHandler proxy, RoutingContext context, AiFormat caller, ConsumerKeys.Check check,
            JsonObject body, ModelRoute model, List<ModelRoute.Channel> channels, long bytesIn, long nowMillis,
            long started) {
        this.proxy = proxy;
        this.context = context;
        this.response = context.response();
        this.eventLoop = proxy.vertx().getOrCreateContext();
        this.caller = caller;
        this.format = caller == AiFormat.PREDICT ? AiFormat.CHAT : caller;
        this.check = check;
        this.body = body;
        this.model = model;
        this.bytesIn = bytesIn;
        this.nowMillis = nowMillis;
        this.started = started;
        this.stream = Boolean.TRUE.equals(body.getValue("stream"));
        JsonObject options = body.getValue("stream_options") instanceof JsonObject o ? o : null;
        this.callerWantsUsage = options != null && Boolean.TRUE.equals(options.getValue("include_usage"));
        this.promptBound = TokenCounter.promptBound(body);
        this.maxOutputTokens = format == AiFormat.EMBEDDINGS ? 0 : maxOutputTokens(format, body, model, proxy);
        this.order = order(channels, format);
    }

    /** The output cap of the call: what it asks for, at most the model's cap (else the configured default). */
    static int maxOutputTokens(AiFormat format, JsonObject body, ModelRoute model, AiProxyHandler proxy) {
        int cap = model.maxOutputTokens() > 0 ? model.maxOutputTokens() : proxy.config().defaultMaxOutputTokens();
        Object asked = format == AiFormat.CHAT && body.getValue("max_completion_tokens") != null
                ? body.getValue("max_completion_tokens")
                : body.getValue("max_tokens");
        return asked instanceof Number n ? (int) Math.min(cap, n.longValue()) : cap;
    }

    /** Channels most preferred first; equal priorities in a random order drawn by weight. */
    static List<ModelRoute.Channel> order(List<ModelRoute.Channel> channels, AiFormat format) {
        List<ModelRoute.Channel> result = new ArrayList<>(channels.size());
        List<ModelRoute.Channel> group = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            ModelRoute.Channel c = channels.get(i);
            if (format == AiFormat.EMBEDDINGS && c.provider() == AiProvider.ANTHROPIC) {
                continue; // Anthropic has no embeddings API
            }
            if (!group.isEmpty() && group.get(0).priority() != c.priority()) {
                drawByWeight(group, result);
            }
            group.add(c);
        }
        drawByWeight(group, result);
        return result;
    }

    private static void drawByWeight(List<ModelRoute.Channel> group, List<ModelRoute.Channel> into) {
        while (!group.isEmpty()) {
            long total = 0;
            for (ModelRoute.Channel c : group) {
                total += Math.max(1, c.weight());
            }
            long pick = ThreadLocalRandom.current().nextLong(total);
            for (int i = 0; i < group.size(); i++) {
                pick -= Math.max(1, group.get(i).weight());
                if (pick < 0) {
                    into.add(group.remove(i));
                    break;
                }
            }
        }
    }

    void start() {
        if (order.isEmpty()) {
            reject(400, "The model '" + model.name() + "' does not offer embeddings.", "model_not_supported");
            return;
        }
        long reserve = cost(promptBound, 0, (long) maxOutputTokens * choices());
        // the key's own limits (model scope, per-minute limits, monthly spend cap)
        KeyAiSettings settings = KeyAiSettings.of(check.key(), model.name());
        if (!settings.allowed()) {
            reject(403, "This API key may not use the model '" + model.name() + "'.", "model_not_allowed");
            return;
        }
        spendCap = settings.monthlySpendCapMicros();
        limited = settings.requestsPerMinute() > 0 || settings.tokensPerMinute() > 0;
        AiLimits.Decision decision = proxy.limits().acquire(check.key().id(), model.name(),
                settings.requestsPerMinute(), settings.tokensPerMinute(), spendCap, reserve, nowMillis);
        List<String> headers = decision.headers();
        for (int i = 0; i < headers.size(); i += 2) {
            response.putHeader(headers.get(i), headers.get(i + 1));
        }
        if (decision.refusal() != null) {
            reject(429, decision.refusal().message(), decision.refusal().code());
            return;
        }
        capReserved = spendCap >= 0 ? reserve : 0;
        response.closeHandler(closed -> clientGone());
        if (reserve == 0) {
            next();
            return;
        }
        proxy.charging().reserve(check.key().ownerId(), reserve, eventLoop, result -> reserved(result, reserve));
    }

    private void reserved(CallCharging.Refusal refusal, long reserve) {
        if (refusal == null && finished) {
            proxy.charging().release(check.key().ownerId(), reserve); // the client left while we waited
        } else if (refusal == null) {
            reserved = reserve;
            next();
        } else if (!finished) {
            if (refusal == CallCharging.Refusal.NOT_ENOUGH_CREDIT) {
                rejectRecorded(402, "Your credit does not cover this call's worst case (" + money(reserve)
                        + " for the prompt and up to " + maxOutputTokens + " output tokens); top up, or ask for"
                        + " fewer max_tokens.", "insufficient_credit");
            } else {
                rejectRecorded(503, "Credit could not be checked; retry shortly.", "service_unavailable");
            }
        }
    }

    private int choices() {
        return format == AiFormat.CHAT && body.getValue("n") instanceof Number n ? Math.max(1, n.intValue()) : 1;
    }

    /** Tries the next channel whose circuit lets calls through; when none is left, answers with the last failure. */
    private void next() {
        if (finished) {
            return;
        }
        channel = null;
        while (attempt < order.size()) {
            ModelRoute.Channel candidate = order.get(attempt++);
            if (proxy.health().tryAcquire(candidate.id())) {
                channel = candidate;
                break;
            }
            lastStatus = 503;
            lastError = "Every channel of the model '" + model.name() + "' is failing; retry shortly.";
        }
        if (channel == null) {
            fail(lastStatus, lastError, lastStatus == 504 ? "upstream_timeout" : "upstream_error");
            return;
        }
        JsonObject upstreamBody;
        try {
            upstreamBody = upstreamBody(channel);
        } catch (Translation.Untranslatable e) {
            proxy.health().abandoned(channel.id());
            fail(400, e.getMessage(), "untranslatable");
            return;
        } catch (RuntimeException e) {
            proxy.health().abandoned(channel.id());
            failInternally("translating the request", e);
            return;
        }
        Buffer payload = upstreamBody.toBuffer();
        ModelRoute.Channel target = channel;
        ChannelWire.resolve(proxy.vertx(), target.upstream(), proxy.allowPrivate()).onComplete(resolved -> {
            if (resolved.failed()) {
                channelFailed(target, resolved.cause());
            } else {
                send(target, payload, resolved.result());
            }
        });
    }

    /** The body for the channel: the caller's own, or translated into the channel's format. */
    private JsonObject upstreamBody(ModelRoute.Channel target) {
        boolean anthropic = target.provider() == AiProvider.ANTHROPIC;
        JsonObject out;
        if (format == AiFormat.MESSAGES) {
            out = anthropic ? body.copy() : Translation.messagesRequestToChat(body);
        } else if (format == AiFormat.CHAT && anthropic) {
            out = Translation.chatRequestToMessages(body);
        } else {
            out = body.copy();
        }
        out.put("model", target.upstreamModel());
        if (format == AiFormat.EMBEDDINGS) {
            return out;
        }
        if (anthropic) {
            out.put("max_tokens", maxOutputTokens);
        } else {
            boolean completionField = out.containsKey("max_completion_tokens")
                    || (!out.containsKey("max_tokens") && target.provider() == AiProvider.OPENAI);
            out.remove(completionField ? "max_tokens" : "max_completion_tokens");
            out.put(completionField ? "max_completion_tokens" : "max_tokens", maxOutputTokens);
            if (stream) {
                JsonObject options = out.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
                out.put("stream_options", options.put("include_usage", true));
            }
        }
        return out;
    }

    private void send(ModelRoute.Channel target, Buffer payload, InetAddress address) {
        if (finished) {
            proxy.health().abandoned(target.id());
            return;
        }
        boolean anthropic = target.provider() == AiProvider.ANTHROPIC;
        MultiMap headers = HttpHeaders.headers().add(HttpHeaders.CONTENT_TYPE, "application/json")
                .add(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json")
                .add("X-Request-ID", RequestIds.of(context)).add(HttpHeaders.USER_AGENT, "tollgate");
        // an Anthropic caller's own version and beta headers go to Anthropic channels as they came
        boolean anthropicCaller = format == AiFormat.MESSAGES;
        ChannelWire.credentials(headers, target,
                anthropicCaller ? context.request().getHeader("anthropic-version") : null);
        String beta = anthropicCaller ? context.request().getHeader("anthropic-beta") : null;
        if (anthropic && beta != null) {
            headers.add("anthropic-beta", beta);
        }
        String path = anthropic
                ? AiFormat.MESSAGES.upstreamPath
                : format == AiFormat.EMBEDDINGS ? AiFormat.EMBEDDINGS.upstreamPath : AiFormat.CHAT.upstreamPath;
        RequestOptions options = ChannelWire.options(target, HttpMethod.POST, path, headers, address, proxy.config());
        upstreamStarted = System.nanoTime();
        proxy.client().request(options).onComplete(ready -> {
            if (ready.failed()) {
                channelFailed(target, ready.cause());
                return;
            }
            upstreamRequest = ready.result();
            if (finished) {
                upstreamRequest.reset();
                proxy.health().abandoned(target.id());
                return;
            }
            upstreamRequest.send(payload).onComplete(answer -> {
                if (answer.failed()) {
                    channelFailed(target, answer.cause());
                } else {
                    answered(target, answer.result());
                }
            });
        });
    }

    private void channelFailed(ModelRoute.Channel target, Throwable cause) {
        ChannelWire.Failure failure = ChannelWire.failure(cause, proxy.config());
        channelFailed(target, failure.status(), failure.reason());
    }

    private void channelFailed(ModelRoute.Channel target, int status, String why) {
        if (finished) {
            proxy.health().abandoned(target.id());
            return;
        }
        proxy.health().failed(target.id(), why);
        LOG.debugf("AI channel %s of %s failed: %s", target.id(), model.name(), why);
        lastStatus = status;
        lastError = status == 504
                ? "The model's provider did not answer in time."
                : status == 429
                        ? "The model's provider is rate limiting; retry shortly."
                        : "The model's provider failed (" + why + ").";
        next();
    }

    private void answered(ModelRoute.Channel target, HttpClientResponse answer) {
        if (finished) {
            proxy.health().abandoned(target.id());
            upstreamRequest.reset();
            return;
        }
        int status = answer.statusCode();
        answeredAt = System.nanoTime();
        upstreamLatencyMs = (int) ((answeredAt - upstreamStarted) / 1_000_000);
        boolean anthropic = target.provider() == AiProvider.ANTHROPIC;
        if (status == 429 || status >= 500 || status == 401 || status == 403) {
            answer.body().onComplete(ignored -> channelFailed(target, status == 429 ? 429 : 502,
                    status == 401 || status == 403
                            ? "the provider refused the platform's key (" + status + ")"
                            : "the provider answered " + status));
            return;
        }
        if (status >= 300) {
            // the call itself is wrong (400, 404, 413, 422...): the caller learns why, in its own format
            proxy.health().succeeded(target.id(), upstreamLatencyMs);
            answer.body().onComplete(read -> {
                JsonObject error = read.succeeded() ? json(read.result()) : null;
                JsonObject translated;
                try {
                    translated = translateError(anthropic, status, error);
                } catch (RuntimeException e) {
                    translated = caller.error(status, "The model's provider refused the call (" + status + ").",
                            null);
                }
                respondWhole(status, translated.toBuffer(), TokenUsage.NONE, false);
            });
            return;
        }
        proxy.health().succeeded(target.id(), upstreamLatencyMs);
        String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
        if (stream && type != null && type.startsWith("text/event-stream")) {
            relayStream(anthropic, answer);
            return;
        }
        answer.body().onComplete(read -> {
            if (finished) {
                return;
            }
            JsonObject result = read.succeeded() ? json(read.result()) : null;
            if (result == null) {
                fail(502, "The model's provider sent an answer that is not JSON.", "upstream_error");
                return;
            }
            TokenUsage used = usageOf(anthropic, result);
            JsonObject out;
            try {
                out = anthropic == (format == AiFormat.MESSAGES)
                        ? result
                        : anthropic
                                ? Translation.messagesResponseToChat(result, model.name())
                                : Translation.chatResponseToMessages(result, model.name());
            } catch (RuntimeException e) {
                failInternally("translating the answer", e);
                return;
            }
            if (caller == AiFormat.PREDICT) {
                out = Predictions.answer(out, model.name(), target.provider().id(), used);
            }
            // the same format: the upstream's bytes as they came
            respondWhole(200, out == result ? read.result() : out.toBuffer(), used, true);
        });
    }

    private JsonObject translateError(boolean anthropic, int status, JsonObject error) {
        if (error == null) {
            return caller.error(status, "The model's provider refused the call (" + status + ").", null);
        }
        JsonObject translated = anthropic == (format == AiFormat.MESSAGES)
                ? error
                : anthropic ? Translation.errorToChat(status, error) : Translation.errorToMessages(status, error);
        if (caller == AiFormat.PREDICT) {
            JsonObject detail = translated.getJsonObject("error", new JsonObject());
            return caller.error(status, "The model's provider refused the call: "
                    + detail.getString("message", "(no reason given)"), detail.getString("code"));
        }
        return translated;
    }

    private TokenUsage usageOf(boolean anthropic, JsonObject result) {
        JsonObject usage = result.getValue("usage") instanceof JsonObject u ? u : null;
        if (usage != null) {
            return anthropic ? Translation.usageOfMessages(usage) : Translation.usageOfChat(usage);
        }
        // no usage reported: count the prompt and the answer ourselves
        long output = format == AiFormat.EMBEDDINGS ? 0 : TokenCounter.answer(result);
        return new TokenUsage(promptEstimate(), output, 0, true);
    }

    /** Counted only when needed: tokenizing takes longer than anything else the event loop does for a call. */
    private long promptEstimate() {
        if (promptEstimate < 0) {
            promptEstimate = TokenCounter.prompt(body);
        }
        return promptEstimate;
    }

    /**
     * {@value #OVERHEAD_HEADER}: Tollgate's own time on the call, in milliseconds — from the request to sending it to
     * the channel that answered (failed channels tried before it included), and from that channel's status line to
     * this response's head (reading and translating the answer, for a whole one). The channel's own time is not in it.
     */
    private void putOverhead() {
        if (answeredAt > 0) {
            long nanos = (upstreamStarted - started) + (System.nanoTime() - answeredAt);
            response.putHeader(OVERHEAD_HEADER, Durations.millis(Math.max(0, nanos)));
        }
    }

    static final String OVERHEAD_HEADER = "X-Tollgate-Overhead-Ms";

    private void respondWhole(int status, Buffer payload, TokenUsage used, boolean charge) {
        if (finished) {
            return;
        }
        committed = true;
        bytesOut = payload.length();
        // over HTTP/2, ending the response closes its stream at once, which must not count as the client leaving
        response.closeHandler(null);
        putOverhead();
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE,
                caller == AiFormat.PREDICT && status >= 400
                        ? dev.tollgate.platform.Problems.MEDIA_TYPE
                        : "application/json")
                .end(payload);
        complete(status, charge ? used : TokenUsage.NONE, charge);
    }

    private void relayStream(boolean anthropic, HttpClientResponse answer) {
        committed = true;
        meter = new StreamMeter(anthropic);
        boolean sameFormat = anthropic == (format == AiFormat.MESSAGES);
        if (!sameFormat) {
            translator = anthropic
                    ? Translation.messagesStreamToChat(model.name(), callerWantsUsage)
                    : Translation.chatStreamToMessages(model.name());
        }
        putOverhead();
        response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader("X-Accel-Buffering", "no");
        Sse.Parser parser = new Sse.Parser();
        answer.handler(chunk -> {
            for (Sse.Event event : parser.feed(chunk)) {
                relay(event, answer);
            }
        });
        answer.exceptionHandler(failure -> {
            if (!finished) {
                LOG.debugf("AI stream of %s broke off: %s", model.name(), failure.getMessage());
                endStream(false, "The model's provider broke off the answer.");
            }
        });
        answer.endHandler(ignored -> {
            for (Sse.Event event : parser.end()) {
                relay(event, answer);
            }
            if (!finished) {
                endStream(true, null);
            }
        });
    }

    private void relay(Sse.Event event, HttpClientResponse answer) {
        if (finished) {
            return;
        }
        boolean usageOnly = meter.observe(event);
        if (translator != null) {
            List<Sse.Event> translated;
            try {
                translated = translator.accept(event);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Translating a stream event of %s failed", model.name());
                answer.request().reset();
                endStream(false, "Tollgate could not translate the provider's answer.");
                return;
            }
            for (Sse.Event out : translated) {
                write(out);
            }
        } else if (!(usageOnly && !callerWantsUsage)) {
            write(event);
        }
        if (response.writeQueueFull()) {
            answer.pause();
            response.drainHandler(ignored -> answer.resume());
        }
    }

    private void write(Sse.Event event) {
        Buffer bytes = event.encode();
        bytesOut += bytes.length();
        response.write(bytes);
    }

    private void endStream(boolean complete, String error) {
        if (finished) {
            return;
        }
        List<Sse.Event> closing = List.of();
        if (translator != null) {
            try {
                closing = translator.end(complete);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Ending the translated stream of %s failed", model.name());
            }
        }
        for (Sse.Event out : closing) {
            write(out);
        }
        if (translator == null && !complete) {
            JsonObject body = format.error(502, error, "upstream_error");
            write(format == AiFormat.MESSAGES ? new Sse.Event("error", body.encode()) : Sse.Event.data(body.encode()));
        }
        response.closeHandler(null);
        response.end();
        complete(complete ? 200 : 502, meter.usage(this::promptEstimate), true);
    }

    private void clientGone() {
        if (finished) {
            return;
        }
        // a stream is charged for what was generated until the client left; anything else is not charged
        TokenUsage used = meter != null ? meter.usage(this::promptEstimate) : TokenUsage.NONE;
        complete(499, used, meter != null);
        // only now, once the call is finished: resetting fails the pending upstream request at once, which must not
        // count as a failure of the channel (it would open the circuit of a healthy channel)
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        if (channel != null) {
            proxy.health().abandoned(channel.id());
        }
    }

    /** Refuses the call before anything was reserved or counted: recorded as a call that did not go out. */
    private void reject(int status, String message, String code) {
        response.closeHandler(null);
        caller.writeError(context, status, message, code);
        finished = true;
        record(status, TokenUsage.NONE, 0, false);
    }

    /** Refuses the call after the key's limits counted it (402, 503): they are given back. */
    private void rejectRecorded(int status, String message, String code) {
        endLimits(false, 0, 0);
        reject(status, message, code);
    }

    /** A defect of ours: logged with its stack, answered 500 (or the stream cut), nothing charged. */
    private void failInternally(String doing, RuntimeException e) {
        LOG.errorf(e, "AI call %s to %s failed while %s", RequestIds.of(context), model.name(), doing);
        fail(500, "Tollgate failed while " + doing + "; the call was not charged.", "internal_error");
    }

    private void fail(int status, String message, String code) {
        if (finished) {
            return;
        }
        response.closeHandler(null);
        if (committed) {
            response.reset();
        } else {
            caller.writeError(context, status, message, code);
        }
        complete(status, TokenUsage.NONE, false);
    }

    /** Settles the call once: charges {@code used} (at most the reservation), releases the rest, records it. */
    private void complete(int status, TokenUsage used, boolean charge) {
        if (finished) {
            return;
        }
        finished = true;
        long cost = charge
                ? cost(used.inputTokens() - used.cachedInputTokens(), used.cachedInputTokens(),
                        used.outputTokens())
                : 0;
        if (cost > reserved && reserved > 0) {
            LOG.warnf("AI call %s to %s cost %d micros, more than the %d reserved; charged the reservation",
                    RequestIds.of(context), model.name(), cost, reserved);
            cost = reserved;
        }
        if (reserved > 0) {
            if (cost > 0) {
                proxy.charging().settle(new CallCharging.Charge(RequestIds.generateOrdered(), RequestIds.of(context),
                        check.key().ownerId(), null, null, null, cost, new CallCharging.Tokens(model.name(),
                                used.inputTokens(), used.outputTokens(), used.cachedInputTokens(), used.estimated())),
                        reserved);
            } else {
                proxy.charging().release(check.key().ownerId(), reserved);
            }
        }
        endLimits(true, used.totalTokens(), cost);
        record(status, used, cost, true);
    }

    private void endLimits(boolean sent, long tokens, long cost) {
        proxy.limits().release(check.key().id(), model.name(), sent, tokens, limited, spendCap, capReserved, cost,
                nowMillis);
    }

    private void record(int status, TokenUsage used, long cost, boolean dispatched) {
        proxy.usage().offer(new UsageEvent(RequestIds.of(context), model.id(), check.key().ownerId(),
                check.key().id(), null, "POST", context.request().path(), status,
                (int) ((System.nanoTime() - started) / 1_000_000), upstreamLatencyMs, bytesIn, bytesOut, nowMillis,
                dispatched, proxy.usage().countryOf(context.request()),
                new UsageEvent.Ai(model.name(), used.inputTokens(), used.outputTokens(),
                        used.cachedInputTokens(), used.estimated(), cost, model.inputMicrosPerMillion(),
                        model.outputMicrosPerMillion(), model.cachedInputMicrosPerMillion(),
                        channel == null ? null : channel.id())));
    }

    /** Micros for the tokens at the model's prices, rounded up. */
    private long cost(long uncachedInput, long cachedInput, long output) {
        return cost(model, uncachedInput, cachedInput, output);
    }

    /** Micros for the tokens at {@code model}'s prices (cached input at the input price unless it has its own). */
    static long cost(ModelRoute model, long uncachedInput, long cachedInput, long output) {
        long cachedPrice = model.cachedInputMicrosPerMillion() < 0
                ? model.inputMicrosPerMillion()
                : model.cachedInputMicrosPerMillion();
        long total = Math.addExact(Math.addExact(Math.multiplyExact(uncachedInput, model.inputMicrosPerMillion()),
                Math.multiplyExact(cachedInput, cachedPrice)),
                Math.multiplyExact(output, model.outputMicrosPerMillion()));
        return Math.floorDiv(total + 999_999, 1_000_000);
    }

    private static String money(long micros) {
        return dev.tollgate.platform.Money.fromMicros(micros).toPlainString();
    }

    private static JsonObject json(Buffer bytes) {
        try {
            Object value = io.vertx.core.json.Json.decodeValue(bytes);
            return value instanceof JsonObject o ? o : null;
        } catch (DecodeException e) {
            return null;
        }
    }
}
