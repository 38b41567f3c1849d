package dev.tollgate.aiproxy.internal;

import java.util.function.LongSupplier;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Counts the tokens of one streamed answer from the upstream's own events: the usage the upstream reports (OpenAI's
 * final usage chunk, asked for with {@code stream_options.include_usage}; Anthropic's {@code message_start} and
 * {@code message_delta}), and the generated text, so that a stream that ends early (the client went away, the
 * upstream broke off) is charged for what was generated up to then, counted with JTokkit when the upstream had not
 * said yet.
 */
final class StreamMeter {

    private final boolean anthropic;
    private final StringBuilder generated = new StringBuilder(1024);
    private long inputTokens = -1;
    private long cachedTokens;
    private long outputTokens = -1;
    /** The upstream reported the final usage. */
    private boolean complete;

    StreamMeter(boolean anthropic) {
        this.anthropic = anthropic;
    }

    /** Whether the event was OpenAI's usage-only chunk (no choices), which the caller may not have asked for. */
    boolean observe(Sse.Event event) {
        String data = event.data();
        if (data.isEmpty() || data.charAt(0) != '{') {
            return false;
        }
        JsonObject json;
        try {
            json = new JsonObject(data);
        } catch (DecodeException e) {
            return false;
        }
        return anthropic ? observeAnthropic(json) : observeOpenAi(json);
    }

    private boolean observeOpenAi(JsonObject chunk) {
        JsonArray choices = chunk.getJsonArray("choices");
        if (choices != null) {
            for (int i = 0; i < choices.size(); i++) {
                JsonObject delta = choices.getJsonObject(i).getJsonObject("delta");
                if (delta == null) {
                    continue;
                }
                append(delta.getValue("content"));
                append(delta.getValue("refusal"));
                append(delta.getValue("reasoning_content"));
                JsonArray calls = delta.getJsonArray("tool_calls");
                if (calls != null) {
                    for (int j = 0; j < calls.size(); j++) {
                        JsonObject function = calls.getJsonObject(j).getJsonObject("function");
                        if (function != null) {
                            append(function.getValue("name"));
                            append(function.getValue("arguments"));
                        }
                    }
                }
            }
        }
        JsonObject usage = chunk.getJsonObject("usage");
        if (usage != null) {
            TokenUsage reported = Translation.usageOfChat(usage);
            inputTokens = reported.inputTokens();
            cachedTokens = reported.cachedInputTokens();
            outputTokens = reported.outputTokens();
            complete = true;
            return choices == null || choices.isEmpty();
        }
        return false;
    }

    private boolean observeAnthropic(JsonObject event) {
        switch (event.getString("type", "")) {
            case "message_start" -> {
                JsonObject message = event.getJsonObject("message");
                JsonObject usage = message == null ? null : message.getJsonObject("usage");
                if (usage != null) {
                    TokenUsage start = Translation.usageOfMessages(usage);
                    inputTokens = start.inputTokens();
                    cachedTokens = start.cachedInputTokens();
                }
            }
            case "content_block_start" -> {
                JsonObject block = event.getJsonObject("content_block");
                if (block != null) {
                    append(block.getValue("text"));
                    append(block.getValue("name"));
                }
            }
            case "content_block_delta" -> {
                JsonObject delta = event.getJsonObject("delta");
                if (delta != null) {
                    append(delta.getValue("text"));
                    append(delta.getValue("partial_json"));
                    append(delta.getValue("thinking"));
                }
            }
            case "message_delta" -> {
                JsonObject usage = event.getJsonObject("usage");
                if (usage != null && usage.getValue("output_tokens") instanceof Number n) {
                    outputTokens = n.longValue();
                    if (usage.containsKey("input_tokens")) {
                        TokenUsage end = Translation.usageOfMessages(usage);
                        inputTokens = Math.max(inputTokens, end.inputTokens());
                        cachedTokens = Math.max(cachedTokens, end.cachedInputTokens());
                    }
                    complete = true;
                }
            }
            default -> {
            }
        }
        return false;
    }

    private void append(Object text) {
        if (text instanceof String s) {
            generated.append(s);
        }
    }

    /**
     * The tokens of the stream so far: the upstream's own counts when it reported them, else Tollgate's
     * ({@code estimated}): the prompt as {@code promptEstimate} unless the upstream already said, and the generated
     * text counted with JTokkit.
     */
    TokenUsage usage(LongSupplier promptEstimate) {
        if (complete && inputTokens >= 0) {
            return new TokenUsage(inputTokens, outputTokens, cachedTokens, false);
        }
        long input = inputTokens >= 0 ? inputTokens : promptEstimate.getAsLong();
        long output = Math.max(outputTokens, TokenCounter.count(generated));
        return new TokenUsage(input, output, inputTokens >= 0 ? cachedTokens : 0, true);
    }

    private static long number(JsonObject object, String field) {
        return object.getValue(field) instanceof Number n ? n.longValue() : 0;
    }
}
