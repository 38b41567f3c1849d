package dev.tollgate.testing;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * A local server speaking Anthropic's Messages API, with the shapes of the official {@code anthropic-java} SDK's models
 * (proven by {@code FakeAnthropicTest}, which parses everything through that SDK):
 * <ul>
 * <li>{@code POST /v1/messages}: a {@code message} with text and {@code tool_use} content blocks, {@code stop_reason}
 * and usage {input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens};</li>
 * <li>with {@code stream: true}, SSE with {@code event:} names: message_start (usage with the input tokens and
 * output_tokens 1), content_block_start, ping (after the first block start), content_block_delta ({@code text_delta} or
 * {@code input_json_delta} fragments), content_block_stop, message_delta (stop_reason, usage.output_tokens),
 * message_stop.</li>
 * </ul>
 * Requests need the key given at construction as {@code x-api-key} or {@code Authorization: Bearer} (else 401
 * {@code authentication_error}), an {@code anthropic-version} header, {@code max_tokens} and {@code messages} (else 400
 * {@code invalid_request_error}) and a known model (else 404 {@code not_found_error}); errors have Anthropic's shape
 * {@code {"type":"error","error":{"type","message"},"request_id"}} with a {@code request-id} header. What the model
 * answers is scripted with {@link FakeLlmServer.Reply}; 529 fails as {@code overloaded_error}.
 */
public final class FakeAnthropic extends FakeLlmServer {

    private static final AtomicLong IDS = new AtomicLong();

    private final String apiKey;
    private final Set<String> models;

    /** Accepts {@code apiKey} and the models claude-sonnet-4-5 and claude-haiku-4-5. */
    public FakeAnthropic(String apiKey) throws IOException {
        this(apiKey, "claude-sonnet-4-5", "claude-haiku-4-5");
    }

    public FakeAnthropic(String apiKey, String... models) throws IOException {
        this.apiKey = apiKey;
        this.models = new LinkedHashSet<>(List.of(models));
    }

    @Override
    protected void handle(HttpExchange exchange, Received request) throws IOException {
        String requestId = "req_fake" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        exchange.getResponseHeaders().set("request-id", requestId);
        if (!("POST".equals(request.method()) && "/v1/messages".equals(request.path()))) {
            error(exchange, 404, "not_found_error", "Not Found");
            return;
        }
        String key = request.header("x-api-key");
        String authorization = request.header("authorization");
        if (key == null && authorization != null && authorization.startsWith("Bearer ")) {
            key = authorization.substring("Bearer ".length());
        }
        if (key == null) {
            error(exchange, 401, "authentication_error", "x-api-key header is required");
            return;
        }
        if (!key.equals(apiKey)) {
            error(exchange, 401, "authentication_error", "invalid x-api-key");
            return;
        }
        if (request.header("anthropic-version") == null) {
            error(exchange, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }
        JsonNode body = request.body();
        if (!body.isObject()) {
            error(exchange, 400, "invalid_request_error", "Request body is not valid JSON");
            return;
        }
        for (String field : List.of("model", "max_tokens", "messages")) {
            if (body.path(field).isMissingNode() || body.path(field).isNull()) {
                error(exchange, 400, "invalid_request_error", field + ": Field required");
                return;
            }
        }
        if (!models.contains(body.path("model").asText())) {
            error(exchange, 404, "not_found_error", "model: " + body.path("model").asText());
            return;
        }
        messages(exchange, body);
    }

    private void messages(HttpExchange exchange, JsonNode body) throws IOException {
        Reply reply = takeReply();
        if (!beforeAnswer(exchange, reply)) {
            return;
        }
        String id = "msg_fake" + IDS.incrementAndGet();
        String model = body.path("model").asText();
        String stopReason = reply.stopReason() != null
                ? reply.stopReason()
                : reply.toolCall() != null ? "tool_use" : "end_turn";
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode message = message(id, model);
            ArrayNode content = message.putArray("content");
            if (reply.hasText() || reply.toolCall() == null) {
                content.addObject().put("type", "text").put("text", reply.text() == null ? "" : reply.text())
                        .putNull("citations");
            }
            if (reply.toolCall() != null) {
                ObjectNode toolUse = content.addObject().put("type", "tool_use").put("id", reply.toolCall().id())
                        .put("name", reply.toolCall().name());
                toolUse.set("input", arguments(reply));
                toolUse.putObject("caller").put("type", "direct");
            }
            message.put("stop_reason", stopReason).putNull("stop_sequence");
            message.set("usage", usage(reply, reply.outputTokens()));
            sendJson(exchange, 200, message.toString(), reply);
            return;
        }
        EventStream stream = startStream(exchange, reply);
        ObjectNode start = message(id, model);
        start.putArray("content");
        start.putNull("stop_reason").putNull("stop_sequence");
        start.set("usage", usage(reply, 1));
        event(stream, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", start));
        int index = 0;
        boolean pinged = false;
        if (reply.hasText() || reply.toolCall() == null) {
            ObjectNode block = JSON.createObjectNode().put("type", "text").put("text", "");
            block.putNull("citations");
            blockStart(stream, index, block);
            event(stream, "ping", JSON.createObjectNode().put("type", "ping"));
            pinged = true;
            for (String piece : pieces(reply.text() == null ? "" : reply.text())) {
                ObjectNode delta = JSON.createObjectNode().put("type", "text_delta").put("text", piece);
                blockDelta(stream, index, delta);
            }
            blockStop(stream, index);
            index++;
        }
        if (reply.toolCall() != null) {
            ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", reply.toolCall().id())
                    .put("name", reply.toolCall().name());
            block.putObject("input");
            block.putObject("caller").put("type", "direct");
            blockStart(stream, index, block);
            if (!pinged) {
                event(stream, "ping", JSON.createObjectNode().put("type", "ping"));
            }
            for (String fragment : fragments(reply.toolCall().arguments())) {
                ObjectNode delta = JSON.createObjectNode().put("type", "input_json_delta").put("partial_json",
                        fragment);
                blockDelta(stream, index, delta);
            }
            blockStop(stream, index);
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", reply.outputTokens());
        event(stream, "message_delta", messageDelta);
        event(stream, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        stream.end();
    }

    private static ObjectNode message(String id, String model) {
        return JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant").put("model",
                model);
    }

    private static JsonNode arguments(Reply reply) throws IOException {
        return JSON.readTree(reply.toolCall().arguments());
    }

    private static ObjectNode usage(Reply reply, long outputTokens) {
        return JSON.createObjectNode().put("input_tokens", reply.inputTokens())
                .put("cache_creation_input_tokens", reply.cacheCreationTokens())
                .put("cache_read_input_tokens", reply.cachedTokens()).put("output_tokens", outputTokens)
                .put("service_tier", "standard");
    }

    private static void blockStart(EventStream stream, int index, ObjectNode block) throws IOException {
        ObjectNode event = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
        event.set("content_block", block);
        event(stream, "content_block_start", event);
    }

    private static void blockDelta(EventStream stream, int index, ObjectNode delta) throws IOException {
        ObjectNode event = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.set("delta", delta);
        event(stream, "content_block_delta", event);
    }

    private static void blockStop(EventStream stream, int index) throws IOException {
        event(stream, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index",
                index));
    }

    private static void event(EventStream stream, String name, JsonNode data) throws IOException {
        stream.send(name, data.toString());
    }

    @Override
    protected void sendError(HttpExchange exchange, Status status) throws IOException {
        int code = status.status();
        String type = status.type() != null
                ? status.type()
                : switch (code) {
                    case 400 -> "invalid_request_error";
                    case 401 -> "authentication_error";
                    case 403 -> "permission_error";
                    case 404 -> "not_found_error";
                    case 413 -> "request_too_large";
                    case 429 -> "rate_limit_error";
                    case 529 -> "overloaded_error";
                    default -> "api_error";
                };
        String message = status.message() != null
                ? status.message()
                : switch (code) {
                    case 429 -> "Number of request tokens has exceeded your per-minute rate limit";
                    case 529 -> "Overloaded";
                    default -> code >= 500 ? "Internal server error" : "Request failed";
                };
        error(exchange, code, type, message);
    }

    private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode().put("type", "error");
        error.putObject("error").put("type", type).put("message", message);
        error.put("request_id", exchange.getResponseHeaders().getFirst("request-id"));
        sendJson(exchange, status, error.toString(), null);
    }
}
