package dev.tollgate.aiproxy;

import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A tiny real call to one channel, for admins checking that a channel works: a chat in the channel's own protocol
 * (OpenAI Chat Completions at {@code base_url + /chat/completions}, Anthropic Messages at
 * {@code base_url + /v1/messages}) with at most {@link #MAX_TOKENS} output tokens, or for an embedding model one
 * embedding at {@code base_url + /embeddings}. It is billed to no one. Its outcome counts in {@link ChannelHealth}
 * like a proxied call's (connect error, timeout, 429, 5xx, a refused key: failed; any other answer: succeeded), so a
 * successful test closes an open circuit. The test is sent whatever the circuit's state.
 */
@ApplicationScoped
public class ChannelProbe {

    public static final String DEFAULT_PROMPT = "Reply with OK.";
    public static final int MAX_TOKENS = 16;
    private static final int MAX_SHOWN = 500;

    /** Tokens the provider reported for the test call. */
    public record Usage(long inputTokens, long outputTokens) {
    }

    /**
     * The outcome of one channel's test: {@code status} and {@code latency_ms} (to the response headers) are null
     * when no answer came; {@code output} is the model's text; {@code error} says what went wrong, never with a key.
     */
    public record Result(UUID channelId, String provider, boolean ok,
            @JsonInclude(JsonInclude.Include.ALWAYS) Integer status,
            @JsonInclude(JsonInclude.Include.ALWAYS) Long latencyMs,
            @JsonInclude(JsonInclude.Include.ALWAYS) String output,
            @JsonInclude(JsonInclude.Include.ALWAYS) String error,
            @JsonInclude(JsonInclude.Include.ALWAYS) Usage usage) {

        /** A channel that was not called: {@code why} it cannot be. */
        public static Result notCalled(UUID channelId, String provider, String why) {
            return new Result(channelId, provider, false, null, null, null, why, null);
        }
    }

    private final ChannelRequests requests;
    private final ChannelHealth health;

    ChannelProbe(ChannelRequests requests, ChannelHealth health) {
        this.requests = requests;
        this.health = health;
    }

    /** Tests {@code channel} with {@code prompt}; {@code embedding}: the model makes embeddings, not chats. */
    public CompletionStage<Result> probe(ModelRoute.Channel channel, String prompt, boolean embedding) {
        boolean anthropic = channel.provider() == AiProvider.ANTHROPIC;
        if (embedding && anthropic) {
            return Future.succeededFuture(Result.notCalled(channel.id(), channel.provider().id(),
                    "Anthropic offers no embeddings API; an embedding model needs an OpenAI-protocol channel"))
                    .toCompletionStage();
        }
        String path;
        JsonObject body = new JsonObject().put("model", channel.upstreamModel());
        if (embedding) {
            path = "/embeddings";
            body.put("input", prompt);
        } else {
            JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt));
            path = anthropic ? "/v1/messages" : "/chat/completions";
            // OpenAI's current name for the limit (its reasoning models refuse max_tokens); others know max_tokens
            body.put(channel.provider() == AiProvider.OPENAI ? "max_completion_tokens" : "max_tokens", MAX_TOKENS)
                    .put("messages", messages);
        }
        return requests.send(channel, HttpMethod.POST, path, body)
                .map(answer -> answered(channel, answer, embedding))
                .otherwise(failure -> {
                    String why = failure instanceof ChannelRequests.NoAnswer none
                            ? none.getMessage()
                            : "the call failed (" + failure.getClass().getSimpleName() + ")";
                    health.failed(channel.id(), why);
                    return Result.notCalled(channel.id(), channel.provider().id(), why);
                })
                .toCompletionStage();
    }

    private Result answered(ModelRoute.Channel channel, ChannelRequests.Answer answer, boolean embedding) {
        int status = answer.status();
        String provider = channel.provider().id();
        if (status == 429 || status >= 500 || status == 401 || status == 403) {
            health.failed(channel.id(), status == 401 || status == 403
                    ? "the provider refused the platform's key (" + status + ")"
                    : "the provider answered " + status);
        } else {
            health.succeeded(channel.id(), answer.latencyMs());
        }
        JsonObject json = answer.json();
        if (status < 200 || status >= 300) {
            String message = ChannelRequests.errorMessage(json);
            return new Result(channel.id(), provider, false, status, answer.latencyMs(), null,
                    "the provider answered " + status
                            + (message == null ? "" : ": " + ChannelRequests.shown(message, channel, MAX_SHOWN)),
                    null);
        }
        try {
            Result result = embedding ? embedded(channel, answer, json) : chatted(channel, answer, json);
            if (result != null) {
                return result;
            }
        } catch (ClassCastException e) {
            // a field of the wrong type: not the protocol's answer
        }
        return new Result(channel.id(), provider, false, status, answer.latencyMs(), null,
                "the provider's answer is not a " + (embedding
                        ? "list of embeddings"
                        : provider.equals("anthropic")
                                ? "Messages answer"
                                : "chat completion"),
                null);
    }

    private static Result chatted(ModelRoute.Channel channel, ChannelRequests.Answer answer, JsonObject json) {
        if (json == null) {
            return null;
        }
        JsonObject usage = json.getJsonObject("usage", new JsonObject());
        StringBuilder text = new StringBuilder();
        long input;
        long output;
        if (channel.provider() == AiProvider.ANTHROPIC) {
            JsonArray content = json.getJsonArray("content");
            if (content == null) {
                return null;
            }
            for (Object block : content) {
                if (block instanceof JsonObject b && "text".equals(b.getString("type"))) {
                    text.append(b.getString("text", ""));
                }
            }
            input = usage.getLong("input_tokens", 0L) + usage.getLong("cache_read_input_tokens", 0L)
                    + usage.getLong("cache_creation_input_tokens", 0L);
            output = usage.getLong("output_tokens", 0L);
        } else {
            JsonArray choices = json.getJsonArray("choices");
            if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
                return null;
            }
            JsonObject message = choice.getJsonObject("message", new JsonObject());
            text.append(message.getString("content", ""));
            input = usage.getLong("prompt_tokens", 0L);
            output = usage.getLong("completion_tokens", 0L);
        }
        return new Result(channel.id(), channel.provider().id(), true, answer.status(), answer.latencyMs(),
                ChannelRequests.shown(text.toString(), channel, MAX_SHOWN), null, new Usage(input, output));
    }

    private static Result embedded(ModelRoute.Channel channel, ChannelRequests.Answer answer, JsonObject json) {
        JsonArray data = json == null ? null : json.getJsonArray("data");
        if (data == null || data.isEmpty() || !(data.getValue(0) instanceof JsonObject first)) {
            return null;
        }
        Object vector = first.getValue("embedding");
        String shape = vector instanceof JsonArray values
                ? "an embedding of " + values.size() + " dimensions"
                : "an embedding (base64)";
        long input = json.getJsonObject("usage", new JsonObject()).getLong("prompt_tokens", 0L);
        return new Result(channel.id(), channel.provider().id(), true, answer.status(), answer.latencyMs(), shape,
                null, new Usage(input, 0));
    }
}
