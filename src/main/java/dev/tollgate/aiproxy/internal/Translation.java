package dev.tollgate.aiproxy.internal;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Translation between OpenAI Chat Completions and Anthropic Messages: requests, non-streaming responses, usage,
 * errors, and streams through {@link StreamTranslator}. Pure functions over Vert.x JSON, safe from any thread; they
 * never change their arguments. What maps, what is dropped and what is refused ({@link Untranslatable}) is the table
 * "Translation between the formats" in {@code docs/AI.md}.
 */
final class Translation {

    /** Thrown for input that cannot be translated; the handler answers 400 in the caller's format with it. */
    static final class Untranslatable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String param;

        Untranslatable(String param, String message) {
            // no stack trace: this is an answer to bad input on the hot path, not a fault
            super(message, null, false, false);
            this.param = param;
        }

        /** The request field at fault, as OpenAI names it in {@code error.param} (e.g. {@code messages[2].content}). */
        String param() {
            return param;
        }
    }

    private Translation() {
    }

    // ---- requests

    /** OpenAI Chat Completions request → Anthropic Messages request, without {@code model}. */
    static JsonObject chatRequestToMessages(JsonObject chatRequest) {
        return ChatRequestToMessages.translate(chatRequest);
    }

    /** Anthropic Messages request → OpenAI Chat Completions request, without {@code model}. */
    static JsonObject messagesRequestToChat(JsonObject messagesRequest) {
        return MessagesRequestToChat.translate(messagesRequest);
    }

    // ---- responses

    static JsonObject messagesResponseToChat(JsonObject messagesResponse, String model) {
        return messagesResponseToChat(messagesResponse, model, Instant.now().getEpochSecond());
    }

    /** Anthropic {@code message} → OpenAI {@code chat.completion} created at {@code created} (Unix seconds). */
    static JsonObject messagesResponseToChat(JsonObject response, String model, long created) {
        StringBuilder text = null;
        JsonArray toolCalls = new JsonArray();
        JsonArray content = response.getJsonArray("content", new JsonArray());
        for (int i = 0; i < content.size(); i++) {
            if (!(content.getValue(i) instanceof JsonObject block)) {
                continue;
            }
            switch (String.valueOf(block.getValue("type"))) {
                case "text" -> {
                    text = text == null ? new StringBuilder() : text;
                    text.append(block.getString("text", ""));
                }
                case "tool_use" -> toolCalls.add(toolCall(block.getString("id"), block.getString("name"),
                        block.getValue("input")));
                default -> {
                    // thinking, redacted_thinking: Chat Completions has no place for them
                }
            }
        }
        JsonObject message = new JsonObject().put("role", "assistant")
                .put("content", text == null ? null : text.toString()).putNull("refusal");
        if (!toolCalls.isEmpty()) {
            message.put("tool_calls", toolCalls);
        }
        message.put("annotations", new JsonArray());
        JsonObject choice = new JsonObject().put("index", 0).put("message", message).putNull("logprobs")
                .put("finish_reason", finishReasonOf(response.getString("stop_reason")));
        JsonObject chat = new JsonObject().put("id", chatIdOf(response.getString("id"))).put("object",
                "chat.completion").put("created", created).put("model", model).put("choices",
                        new JsonArray().add(choice));
        TokenUsage usage = usageOfMessages(response.getJsonObject("usage"));
        if (usage != null) {
            chat.put("usage", chatUsage(usage));
        }
        return chat;
    }

    /** OpenAI {@code chat.completion} → Anthropic {@code message} (its first choice). */
    static JsonObject chatResponseToMessages(JsonObject chatResponse, String model) {
        JsonArray content = new JsonArray();
        String stopReason = "end_turn";
        JsonArray choices = chatResponse.getJsonArray("choices", new JsonArray());
        if (!choices.isEmpty() && choices.getValue(0) instanceof JsonObject choice) {
            JsonObject message = choice.getJsonObject("message", new JsonObject());
            String text = textOf(message.getValue("content"));
            String refusal = message.getString("refusal");
            if (text != null && !text.isEmpty()) {
                content.add(textBlock(text));
            }
            if (refusal != null && !refusal.isEmpty()) {
                content.add(textBlock(refusal));
            }
            JsonArray calls = message.getJsonArray("tool_calls", new JsonArray());
            for (int i = 0; i < calls.size(); i++) {
                JsonObject call = calls.getJsonObject(i);
                JsonObject function = call.getJsonObject("function", new JsonObject());
                content.add(new JsonObject().put("type", "tool_use").put("id", toolUseIdOf(call.getString("id")))
                        .put("name", function.getString("name", "")).put("input",
                                toolInputOfArguments(function.getString("arguments"))));
            }
            stopReason = refusal != null && !refusal.isEmpty()
                    ? "refusal"
                    : stopReasonOf(choice.getString("finish_reason"));
        }
        JsonObject out = new JsonObject().put("id", messageIdOf(chatResponse.getString("id"))).put("type", "message")
                .put("role", "assistant").put("model", model).put("content", content).put("stop_reason", stopReason)
                .putNull("stop_sequence");
        TokenUsage usage = usageOfChat(chatResponse.getJsonObject("usage"));
        out.put("usage", messagesUsage(usage == null ? TokenUsage.NONE : usage));
        return out;
    }

    // ---- usage

    /** OpenAI usage: {@code prompt_tokens} already includes {@code prompt_tokens_details.cached_tokens}. */
    static TokenUsage usageOfChat(JsonObject usage) {
        if (usage == null) {
            return null;
        }
        JsonObject details = usage.getValue("prompt_tokens_details") instanceof JsonObject d ? d : null;
        return new TokenUsage(count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
                details == null ? 0 : count(details, "cached_tokens"), false);
    }

    /** Anthropic usage: {@code input_tokens} excludes the cache reads and writes, which are added here. */
    static TokenUsage usageOfMessages(JsonObject usage) {
        if (usage == null) {
            return null;
        }
        long cacheRead = count(usage, "cache_read_input_tokens");
        long input = count(usage, "input_tokens") + cacheRead + count(usage, "cache_creation_input_tokens");
        return new TokenUsage(input, count(usage, "output_tokens"), cacheRead, false);
    }

    static JsonObject chatUsage(TokenUsage usage) {
        return new JsonObject().put("prompt_tokens", usage.inputTokens())
                .put("completion_tokens", usage.outputTokens()).put("total_tokens", usage.totalTokens())
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", usage.cachedInputTokens()));
    }

    /**
     * Anthropic usage from a {@link TokenUsage}: the cached tokens become cache reads; OpenAI does not report cache
     * writes, so {@code cache_creation_input_tokens} is 0.
     */
    static JsonObject messagesUsage(TokenUsage usage) {
        return new JsonObject()
                .put("input_tokens", Math.max(0, usage.inputTokens() - usage.cachedInputTokens()))
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", usage.cachedInputTokens())
                .put("output_tokens", usage.outputTokens());
    }

    private static long count(JsonObject usage, String field) {
        return usage.getValue(field) instanceof Number n ? n.longValue() : 0;
    }

    // ---- finish reasons

    /** Anthropic {@code stop_reason} → OpenAI {@code finish_reason}. */
    static String finishReasonOf(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    /** OpenAI {@code finish_reason} → Anthropic {@code stop_reason}. */
    static String stopReasonOf(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn"; // stop: OpenAI does not say whether a stop sequence matched
        };
    }

    // ---- ids

    /** {@code msg_X} → {@code chatcmpl-X}; a missing id gets a fresh one. */
    static String chatIdOf(String messageId) {
        String core = messageId == null || messageId.isEmpty() ? randomId() : strip(messageId, "msg_");
        return "chatcmpl-" + core;
    }

    /** {@code chatcmpl-X} → {@code msg_X}; a missing id gets a fresh one. */
    static String messageIdOf(String chatId) {
        String core = chatId == null || chatId.isEmpty() ? randomId() : strip(chatId, "chatcmpl-");
        return "msg_" + core;
    }

    /**
     * A tool call id as Anthropic accepts it ({@code ^[a-zA-Z0-9_-]+$}); some OpenAI-compatible servers use ids like
     * {@code functions.get_weather:0}. The mapping is the same in requests and responses, so a call and its result
     * keep matching.
     */
    static String toolUseIdOf(String id) {
        if (id == null || id.isEmpty()) {
            return "toolu_" + randomId();
        }
        StringBuilder out = null;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '-';
            if (!allowed && out == null) {
                out = new StringBuilder(id.substring(0, i));
            }
            if (out != null) {
                out.append(allowed ? c : '_');
            }
        }
        return out == null ? id : out.toString();
    }

    private static String strip(String id, String prefix) {
        return id.startsWith(prefix) && id.length() > prefix.length() ? id.substring(prefix.length()) : id;
    }

    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() >>> 16);
    }

    // ---- errors

    /** Anthropic error body (or null / anything else) → OpenAI {@code {"error":{"message","type","param","code"}}}. */
    static JsonObject errorToChat(int status, JsonObject anthropicError) {
        JsonObject error = anthropicError == null
                ? null
                : anthropicError.getValue("error") instanceof JsonObject e
                        ? e
                        : null;
        String type = error == null ? null : error.getValue("type") instanceof String t ? t : null;
        String message = error == null ? null : error.getValue("message") instanceof String m ? m : null;
        if (message == null || message.isEmpty()) {
            message = "The upstream provider answered HTTP " + status + ".";
        }
        String kind = type != null ? type : anthropicTypeOf(status);
        String openAiType = switch (kind) {
            case "rate_limit_error" -> "requests";
            case "api_error", "overloaded_error" -> "server_error";
            default -> "invalid_request_error";
        };
        String code = switch (kind) {
            case "authentication_error" -> "invalid_api_key";
            case "rate_limit_error" -> "rate_limit_exceeded";
            case "overloaded_error" -> "overloaded";
            default -> null;
        };
        return OpenAiErrors.body(message, openAiType, code);
    }

    /** OpenAI error body (or null / anything else) → Anthropic {@code {"type":"error","error":{"type","message"}}}. */
    static JsonObject errorToMessages(int status, JsonObject openAiError) {
        JsonObject error = openAiError == null
                ? null
                : openAiError.getValue("error") instanceof JsonObject e
                        ? e
                        : null;
        String message = error == null ? null : error.getValue("message") instanceof String m ? m : null;
        if (message == null || message.isEmpty()) {
            message = "The upstream provider answered HTTP " + status + ".";
        }
        return messagesError(anthropicTypeOf(status), message);
    }

    /** The 400 body for an {@link Untranslatable} request in OpenAI's format. */
    static JsonObject untranslatableToChat(Untranslatable e) {
        JsonObject body = OpenAiErrors.body(e.getMessage(), "invalid_request_error", "unsupported_parameter");
        body.getJsonObject("error").put("param", e.param());
        return body;
    }

    /** The 400 body for an {@link Untranslatable} request in Anthropic's format (which has no param field). */
    static JsonObject untranslatableToMessages(Untranslatable e) {
        return messagesError("invalid_request_error", e.param() + ": " + e.getMessage());
    }

    static JsonObject messagesError(String type, String message) {
        return new JsonObject().put("type", "error").put("error",
                new JsonObject().put("type", type).put("message", message));
    }

    /** Anthropic's error type for an HTTP status, as its API documents them. */
    static String anthropicTypeOf(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    // ---- streams

    /** Anthropic SSE → OpenAI {@code chat.completion.chunk}s; the usage chunk only when {@code includeUsage}. */
    static StreamTranslator messagesStreamToChat(String model, boolean includeUsage) {
        return new MessagesStreamToChat(model, includeUsage, Instant.now().getEpochSecond());
    }

    static StreamTranslator messagesStreamToChat(String model, boolean includeUsage, long created) {
        return new MessagesStreamToChat(model, includeUsage, created);
    }

    /** OpenAI chunks → Anthropic SSE ({@code message_start} … {@code message_stop}). */
    static StreamTranslator chatStreamToMessages(String model) {
        return new ChatStreamToMessages(model);
    }

    // ---- shared pieces

    static JsonObject textBlock(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    /** An OpenAI tool call from an Anthropic tool use: the input object becomes the arguments JSON string. */
    static JsonObject toolCall(String id, String name, Object input) {
        String arguments = input instanceof JsonObject object ? object.encode() : "{}";
        return new JsonObject().put("id", id).put("type", "function").put("function",
                new JsonObject().put("name", name).put("arguments", arguments));
    }

    /**
     * An Anthropic tool input from OpenAI arguments. In a response they cannot be refused (the call happened), so
     * arguments that are not a JSON object (e.g. cut off at max tokens) become an empty input.
     */
    static JsonObject toolInputOfArguments(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return new JsonObject();
        }
        try {
            Object value = io.vertx.core.json.Json.decodeValue(arguments);
            return value instanceof JsonObject object ? object : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    /** Text of OpenAI message content: a string, or the text (and refusal) parts joined. */
    static String textOf(Object content) {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
                    text.append(t);
                }
            }
            return text.toString();
        }
        return null;
    }
}
