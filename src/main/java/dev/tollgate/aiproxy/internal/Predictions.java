package dev.tollgate.aiproxy.internal;

import java.util.List;
import java.util.Map;

import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.aiproxy.AiState;
import dev.tollgate.aiproxy.ModelRoute;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Seed 004's {@code POST /api/v1/ai/predict}: {@code {model_id, input_data: {prompt} | {messages}, parameters}} is
 * sent as an OpenAI chat completion (so it is routed, translated, limited and billed like any other AI call) and
 * answered as {@code {model_id, output, metadata: {provider, finish_reason, usage}}}. {@code model_id} is a public
 * model name, or {@code vendor:model} (e.g. {@code openai:gpt-4o}): the enabled model served by a channel of that
 * provider with that upstream model, through those channels only.
 */
final class Predictions {

    /** Parameters passed on to the chat completion, with the JSON type each must have. */
    private static final Map<String, Class<?>> PARAMETERS = Map.of("temperature", Number.class, "top_p",
            Number.class, "max_tokens", Number.class, "stop", Object.class, "presence_penalty", Number.class,
            "frequency_penalty", Number.class, "seed", Number.class, "user", String.class);

    private Predictions() {
    }

    /** A model and the channels a prediction may use, or null when {@code modelId} names none. */
    record Target(ModelRoute model, List<ModelRoute.Channel> channels) {
    }

    static Target target(AiState.Models models, String modelId) {
        ModelRoute byName = models.byName().get(modelId);
        if (byName != null) {
            return new Target(byName, byName.channels());
        }
        int colon = modelId.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        AiProvider provider = AiProvider.parse(modelId.substring(0, colon)).orElse(null);
        String upstream = modelId.substring(colon + 1);
        if (provider == null) {
            return null;
        }
        for (ModelRoute model : models.sortedByName()) {
            List<ModelRoute.Channel> matching = model.channels().stream()
                    .filter(c -> c.provider() == provider && c.upstreamModel().equals(upstream)).toList();
            if (!matching.isEmpty()) {
                return new Target(model, matching);
            }
        }
        return null;
    }

    /**
     * The chat completion for a prediction, with {@code model} set to the target's public name.
     *
     * @throws IllegalArgumentException naming the field, when the body is not a valid prediction
     */
    static JsonObject chatRequest(JsonObject predict, String model) {
        if (!(predict.getValue("input_data") instanceof JsonObject input)) {
            throw new IllegalArgumentException("input_data: an object with prompt or messages is required");
        }
        JsonArray messages;
        if (input.getValue("messages") instanceof JsonArray given && !given.isEmpty()) {
            messages = given.copy();
        } else if (input.getValue("prompt") instanceof String prompt && !prompt.isBlank()) {
            messages = new JsonArray();
            if (input.getValue("system") instanceof String system) {
                messages.add(new JsonObject().put("role", "system").put("content", system));
            }
            messages.add(new JsonObject().put("role", "user").put("content", prompt));
        } else {
            throw new IllegalArgumentException(
                    "input_data: a non-empty prompt (string) or messages (array) is required");
        }
        JsonObject chat = new JsonObject().put("model", model).put("messages", messages);
        Object parameters = predict.getValue("parameters");
        if (parameters != null && !(parameters instanceof JsonObject)) {
            throw new IllegalArgumentException("parameters: expected an object");
        }
        if (parameters instanceof JsonObject given) {
            for (var entry : given) {
                Class<?> type = PARAMETERS.get(entry.getKey());
                if (type == null) {
                    throw new IllegalArgumentException("parameters." + entry.getKey() + ": not a known parameter ("
                            + String.join(", ", new java.util.TreeSet<>(PARAMETERS.keySet())) + ")");
                }
                if (!type.isInstance(entry.getValue())) {
                    throw new IllegalArgumentException("parameters." + entry.getKey() + ": expected a "
                            + (type == Number.class ? "number" : "string"));
                }
                chat.put(entry.getKey(), entry.getValue());
            }
        }
        return chat;
    }

    /** The prediction's answer from the chat completion's. */
    static JsonObject answer(JsonObject chat, String model, String provider, TokenUsage used) {
        JsonArray choices = chat.getJsonArray("choices", new JsonArray());
        JsonObject first = choices.isEmpty() ? new JsonObject() : choices.getJsonObject(0);
        JsonObject message = first.getJsonObject("message", new JsonObject());
        JsonObject metadata = new JsonObject().put("provider", provider)
                .put("finish_reason", first.getValue("finish_reason"))
                .put("usage", new JsonObject().put("input_tokens", used.inputTokens())
                        .put("output_tokens", used.outputTokens()).put("total_tokens", used.totalTokens())
                        .put("cached_input_tokens", used.cachedInputTokens()).put("estimated", used.estimated()));
        JsonObject answer = new JsonObject().put("model_id", model).put("output", message.getValue("content"));
        if (message.getValue("tool_calls") != null) {
            answer.put("tool_calls", message.getValue("tool_calls"));
        }
        return answer.put("metadata", metadata);
    }
}
