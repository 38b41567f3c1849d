package dev.tollgate.aiproxy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.vertx.core.json.JsonObject;

/**
 * The official SDKs' own models as the judges of translated JSON: a shape they cannot parse and validate would fail
 * for a client using them.
 */
final class Sdk {

    private static final JsonMapper OPENAI = com.openai.core.ObjectMappers.jsonMapper();
    private static final JsonMapper ANTHROPIC = com.anthropic.core.ObjectMappers.jsonMapper();

    private Sdk() {
    }

    static <T> T openAi(String json, Class<T> type) {
        try {
            return OPENAI.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("OpenAI's SDK cannot read " + json, e);
        }
    }

    static <T> T anthropic(String json, Class<T> type) {
        try {
            return ANTHROPIC.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Anthropic's SDK cannot read " + json, e);
        }
    }

    /** A translated OpenAI request, as OpenAI's SDK would build it, once the caller has set the model. */
    static com.openai.models.chat.completions.ChatCompletionCreateParams.Body chatRequest(JsonObject body) {
        return openAi(body.copy().put("model", "gpt-4o-mini").encode(),
                com.openai.models.chat.completions.ChatCompletionCreateParams.Body.class).validate();
    }

    /** A translated Anthropic request, as Anthropic's SDK would build it, once the caller has set model and max. */
    static com.anthropic.models.messages.MessageCreateParams.Body messagesRequest(JsonObject body) {
        JsonObject complete = body.copy().put("model", "claude-sonnet-4-5");
        if (!complete.containsKey("max_tokens")) {
            complete.put("max_tokens", 1024);
        }
        return anthropic(complete.encode(), com.anthropic.models.messages.MessageCreateParams.Body.class).validate();
    }
}
