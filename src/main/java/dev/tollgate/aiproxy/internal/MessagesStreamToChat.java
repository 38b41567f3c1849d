package dev.tollgate.aiproxy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic's stream ({@code message_start}, content blocks, {@code message_delta}, {@code message_stop}) as OpenAI
 * {@code chat.completion.chunk}s: a first chunk with the role, one chunk per text or tool-argument delta, a chunk
 * with the finish reason at {@code message_delta}, the usage chunk (when asked for) and {@code [DONE]} at
 * {@code message_stop}. Tool-use blocks become tool calls numbered 0, 1, … in the order they start.
 */
final class MessagesStreamToChat implements StreamTranslator {

    private static final List<Sse.Event> NONE = List.of();

    private final String model;
    private final boolean includeUsage;
    private final long created;
    private final Map<Integer, Integer> toolIndexOfBlock = new HashMap<>();
    private String id;
    private boolean roleSent;
    private String finishReason;
    private JsonObject startUsage;
    private TokenUsage usage;
    private boolean done;

    MessagesStreamToChat(String model, boolean includeUsage, long created) {
        this.model = model;
        this.includeUsage = includeUsage;
        this.created = created;
    }

    @Override
    public List<Sse.Event> accept(Sse.Event upstream) {
        if (done) {
            return NONE;
        }
        JsonObject data;
        try {
            data = new JsonObject(upstream.data());
        } catch (DecodeException | ClassCastException e) {
            return NONE; // not an event of the protocol
        }
        String type = data.getValue("type") instanceof String t ? t : upstream.event();
        if (type == null) {
            return NONE;
        }
        List<Sse.Event> out = new ArrayList<>(2);
        switch (type) {
            case "message_start" -> {
                JsonObject message = data.getJsonObject("message", new JsonObject());
                id = Translation.chatIdOf(message.getString("id"));
                startUsage = message.getJsonObject("usage");
                usage = Translation.usageOfMessages(startUsage);
                role(out);
            }
            case "content_block_start" -> {
                JsonObject block = data.getJsonObject("content_block", new JsonObject());
                if ("tool_use".equals(block.getString("type"))) {
                    role(out);
                    int toolIndex = toolIndexOfBlock.size();
                    toolIndexOfBlock.put(data.getInteger("index", 0), toolIndex);
                    JsonObject call = Translation.toolCall(block.getString("id"), block.getString("name"), null);
                    call.getJsonObject("function").put("arguments", "");
                    out.add(chunk(new JsonObject().put("tool_calls", new JsonArray().add(call.put("index",
                            toolIndex))), null));
                } else if ("text".equals(block.getString("type")) && !block.getString("text", "").isEmpty()) {
                    role(out);
                    out.add(chunk(new JsonObject().put("content", block.getString("text")), null));
                }
            }
            case "content_block_delta" -> {
                JsonObject delta = data.getJsonObject("delta", new JsonObject());
                String deltaType = delta.getString("type", "");
                if (deltaType.equals("text_delta")) {
                    role(out);
                    out.add(chunk(new JsonObject().put("content", delta.getString("text", "")), null));
                } else if (deltaType.equals("input_json_delta")) {
                    Integer toolIndex = toolIndexOfBlock.get(data.getInteger("index", 0));
                    String partial = delta.getString("partial_json", "");
                    if (toolIndex != null && !partial.isEmpty()) {
                        out.add(chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
                                .put("index", toolIndex).put("function", new JsonObject().put("arguments",
                                        partial)))),
                                null));
                    }
                }
                // thinking_delta, signature_delta, citations_delta: no counterpart in chunks
            }
            case "message_delta" -> {
                JsonObject delta = data.getJsonObject("delta", new JsonObject());
                finishReason = Translation.finishReasonOf(delta.getString("stop_reason"));
                JsonObject deltaUsage = data.getJsonObject("usage");
                if (deltaUsage != null) {
                    // the delta's counts are cumulative; the input ones appear there only in newer API versions
                    JsonObject merged = startUsage == null ? new JsonObject() : startUsage.copy();
                    for (String field : deltaUsage.fieldNames()) {
                        if (deltaUsage.getValue(field) != null) {
                            merged.put(field, deltaUsage.getValue(field));
                        }
                    }
                    startUsage = merged;
                    usage = Translation.usageOfMessages(merged);
                }
                role(out);
                out.add(chunk(new JsonObject(), finishReason));
            }
            case "message_stop" -> {
                if (finishReason == null) {
                    role(out);
                    finishReason = "stop";
                    out.add(chunk(new JsonObject(), finishReason));
                }
                finish(out);
            }
            case "error" -> {
                JsonObject error = Translation.errorToChat(500, data);
                out.add(Sse.Event.data(error.encode()));
                out.add(Sse.Event.data("[DONE]"));
                done = true;
            }
            default -> {
                // ping and anything newer: nothing to say
            }
        }
        return out;
    }

    @Override
    public List<Sse.Event> end(boolean complete) {
        if (done) {
            return NONE;
        }
        List<Sse.Event> out = new ArrayList<>(3);
        if (complete && finishReason != null) {
            finish(out); // message_delta came but not message_stop: the answer is whole
            return out;
        }
        done = true;
        out.add(Sse.Event.data(OpenAiErrors.body(
                "The upstream stream ended before the answer was complete.", "server_error", null).encode()));
        out.add(Sse.Event.data("[DONE]"));
        return out;
    }

    @Override
    public TokenUsage usage() {
        return usage;
    }

    private void finish(List<Sse.Event> out) {
        if (includeUsage && usage != null) {
            JsonObject last = envelope().put("choices", new JsonArray()).put("usage", Translation.chatUsage(usage));
            out.add(Sse.Event.data(last.encode()));
        }
        out.add(Sse.Event.data("[DONE]"));
        done = true;
    }

    /** The first chunk carries the role, as OpenAI's do. */
    private void role(List<Sse.Event> out) {
        if (!roleSent) {
            roleSent = true;
            out.add(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
        }
    }

    private JsonObject envelope() {
        if (id == null) {
            id = Translation.chatIdOf(null);
        }
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }

    private Sse.Event chunk(JsonObject delta, String finish) {
        JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).putNull("logprobs")
                .put("finish_reason", finish);
        JsonObject chunk = envelope().put("choices", new JsonArray().add(choice));
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return Sse.Event.data(chunk.encode());
    }
}
