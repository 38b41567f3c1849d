package dev.tollgate.aiproxy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's {@code chat.completion.chunk}s as Anthropic's stream: {@code message_start} at the first chunk, a text block
 * for content deltas and a {@code tool_use} block per tool call (each block stopped when the next starts or the choice
 * finishes), then at {@code [DONE]} a {@code message_delta} with the stop reason and the usage of OpenAI's usage chunk,
 * and {@code message_stop}. OpenAI reports no tokens before the end, so {@code message_start} says 0 input tokens and
 * the real counts come in {@code message_delta}, where the SDKs take them.
 */
final class ChatStreamToMessages implements StreamTranslator {

    private static final List<Sse.Event> NONE = List.of();

    private final String model;
    private final Map<Integer, Integer> blockOfToolCall = new HashMap<>();
    private boolean started;
    private int openBlock = -1;
    private boolean openIsText;
    private int nextBlock;
    private boolean refused;
    private String stopReason;
    private TokenUsage usage;
    private boolean done;

    ChatStreamToMessages(String model) {
        this.model = model;
    }

    @Override
    public List<Sse.Event> accept(Sse.Event upstream) {
        if (done) {
            return NONE;
        }
        List<Sse.Event> out = new ArrayList<>(3);
        if (upstream.data().startsWith("[DONE]")) {
            finish(out);
            return out;
        }
        JsonObject chunk;
        try {
            chunk = new JsonObject(upstream.data());
        } catch (DecodeException | ClassCastException e) {
            return NONE; // not a chunk
        }
        if (chunk.getValue("error") instanceof JsonObject) {
            closeBlock(out);
            out.add(event(Translation.errorToMessages(500, chunk)));
            done = true;
            return out;
        }
        start(chunk.getString("id"), out);
        if (chunk.getValue("usage") instanceof JsonObject chunkUsage) {
            usage = Translation.usageOfChat(chunkUsage);
        }
        JsonArray choices = chunk.getValue("choices") instanceof JsonArray c ? c : new JsonArray();
        for (Object value : choices) {
            if (!(value instanceof JsonObject choice) || choice.getInteger("index", 0) != 0) {
                continue; // n = 1 is all the translation asks for
            }
            JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
            if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
                text(text, out);
            }
            if (delta.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
                refused = true;
                text(refusal, out);
            }
            if (delta.getValue("tool_calls") instanceof JsonArray calls) {
                for (Object call : calls) {
                    if (call instanceof JsonObject c && !toolCall(c, out)) {
                        return out;
                    }
                }
            }
            if (choice.getValue("finish_reason") instanceof String finish) {
                stopReason = refused ? "refusal" : Translation.stopReasonOf(finish);
                closeBlock(out);
            }
        }
        return out;
    }

    @Override
    public List<Sse.Event> end(boolean complete) {
        if (done) {
            return NONE;
        }
        List<Sse.Event> out = new ArrayList<>(4);
        if (complete && stopReason != null) {
            finish(out); // finished but without [DONE]: some OpenAI-compatible servers end so
            return out;
        }
        closeBlock(out);
        out.add(event(Translation.messagesError("api_error",
                "The upstream stream ended before the answer was complete.")));
        done = true;
        return out;
    }

    @Override
    public TokenUsage usage() {
        return usage;
    }

    private void start(String chatId, List<Sse.Event> out) {
        if (started) {
            return;
        }
        started = true;
        JsonObject message = new JsonObject().put("id", Translation.messageIdOf(chatId)).put("type", "message")
                .put("role", "assistant").put("model", model).put("content", new JsonArray())
                .putNull("stop_reason").putNull("stop_sequence")
                .put("usage", new JsonObject().put("input_tokens", 0).put("output_tokens", 0));
        out.add(event(new JsonObject().put("type", "message_start").put("message", message)));
    }

    private void text(String text, List<Sse.Event> out) {
        if (openBlock < 0 || !openIsText) {
            closeBlock(out);
            openBlock(Translation.textBlock(""), true, out);
        }
        out.add(event(new JsonObject().put("type", "content_block_delta").put("index", openBlock).put("delta",
                new JsonObject().put("type", "text_delta").put("text", text))));
    }

    /** False when the stream cannot be translated further (an earlier call's arguments after a later call began). */
    private boolean toolCall(JsonObject call, List<Sse.Event> out) {
        int index = call.getValue("index") instanceof Number n ? n.intValue() : 0;
        JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
        Integer block = blockOfToolCall.get(index);
        if (block == null) {
            closeBlock(out);
            String name = function.getValue("name") instanceof String s ? s : "";
            JsonObject toolUse = new JsonObject().put("type", "tool_use")
                    .put("id", Translation.toolUseIdOf(call.getString("id"))).put("name", name)
                    .put("input", new JsonObject());
            blockOfToolCall.put(index, nextBlock);
            openBlock(toolUse, false, out);
        } else if (block != openBlock) {
            // Anthropic's blocks are sequential: a stopped block cannot take more input. OpenAI streams calls one
            // after another, so this means an upstream we cannot follow; failing beats a silently wrong input.
            closeBlock(out);
            out.add(event(Translation.messagesError("api_error",
                    "The upstream interleaved the arguments of several tool calls, which cannot be translated.")));
            done = true;
            return false;
        }
        if (function.getValue("arguments") instanceof String arguments && !arguments.isEmpty()) {
            out.add(event(new JsonObject().put("type", "content_block_delta").put("index", openBlock).put("delta",
                    new JsonObject().put("type", "input_json_delta").put("partial_json", arguments))));
        }
        return true;
    }

    private void openBlock(JsonObject block, boolean text, List<Sse.Event> out) {
        openBlock = nextBlock++;
        openIsText = text;
        out.add(event(new JsonObject().put("type", "content_block_start").put("index", openBlock)
                .put("content_block", block)));
    }

    private void closeBlock(List<Sse.Event> out) {
        if (openBlock >= 0) {
            out.add(event(new JsonObject().put("type", "content_block_stop").put("index", openBlock)));
            openBlock = -1;
        }
    }

    private void finish(List<Sse.Event> out) {
        start(null, out);
        closeBlock(out);
        JsonObject delta = new JsonObject().put("stop_reason", stopReason != null ? stopReason : "end_turn")
                .putNull("stop_sequence");
        JsonObject deltaUsage = usage != null
                ? Translation.messagesUsage(usage)
                : new JsonObject().put("output_tokens", 0);
        out.add(event(new JsonObject().put("type", "message_delta").put("delta", delta).put("usage", deltaUsage)));
        out.add(event(new JsonObject().put("type", "message_stop")));
        done = true;
    }

    private static Sse.Event event(JsonObject data) {
        return new Sse.Event(data.getString("type"), data.encode());
    }
}
