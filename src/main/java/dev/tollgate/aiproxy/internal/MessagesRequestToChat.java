package dev.tollgate.aiproxy.internal;

import dev.tollgate.aiproxy.internal.Translation.Untranslatable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static dev.tollgate.aiproxy.internal.JsonFields.array;
import static dev.tollgate.aiproxy.internal.JsonFields.bool;
import static dev.tollgate.aiproxy.internal.JsonFields.number;
import static dev.tollgate.aiproxy.internal.JsonFields.object;
import static dev.tollgate.aiproxy.internal.JsonFields.requiredArray;
import static dev.tollgate.aiproxy.internal.JsonFields.requiredObject;
import static dev.tollgate.aiproxy.internal.JsonFields.requiredString;
import static dev.tollgate.aiproxy.internal.JsonFields.string;

/**
 * An Anthropic Messages request as an OpenAI Chat Completions request. The top-level {@code system} becomes the first
 * message; a user turn's {@code tool_result} blocks become {@code tool} messages ahead of the rest of the turn;
 * {@code tool_use} blocks become the assistant's {@code tool_calls}.
 */
final class MessagesRequestToChat {

    private MessagesRequestToChat() {
    }

    static JsonObject translate(JsonObject request) {
        refuseWhatHasNoCounterpart(request);
        JsonObject out = new JsonObject();
        JsonArray messages = new JsonArray();
        Object system = request.getValue("system");
        if (system != null) {
            String text = systemText(system);
            if (!text.isEmpty()) {
                messages.add(new JsonObject().put("role", "system").put("content", text));
            }
        }
        JsonArray turns = requiredArray(request.getValue("messages"), "messages");
        for (int i = 0; i < turns.size(); i++) {
            String param = "messages[" + i + "]";
            JsonObject turn = requiredObject(turns.getValue(i), param);
            String role = requiredString(turn.getValue("role"), param + ".role");
            switch (role) {
                case "user" -> user(turn.getValue("content"), param + ".content", messages);
                case "assistant" -> messages.add(assistant(turn.getValue("content"), param + ".content"));
                default -> throw new Untranslatable(param + ".role", "The role must be user or assistant.");
            }
        }
        out.put("messages", messages);

        Number maxTokens = number(request.getValue("max_tokens"), "max_tokens");
        if (maxTokens != null) {
            // max_tokens is deprecated at OpenAI and refused by its reasoning models
            out.put("max_completion_tokens", maxTokens.longValue());
        }
        Number temperature = number(request.getValue("temperature"), "temperature");
        if (temperature != null) {
            out.put("temperature", temperature);
        }
        Number topP = number(request.getValue("top_p"), "top_p");
        if (topP != null) {
            out.put("top_p", topP);
        }
        JsonArray stop = array(request.getValue("stop_sequences"), "stop_sequences");
        if (stop != null && !stop.isEmpty()) {
            for (int i = 0; i < stop.size(); i++) {
                requiredString(stop.getValue(i), "stop_sequences[" + i + "]");
            }
            out.put("stop", stop.copy());
        }
        if (Boolean.TRUE.equals(bool(request.getValue("stream"), "stream"))) {
            // the usage chunk is where OpenAI reports the tokens of a stream: needed for billing and message_delta
            out.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
        }
        JsonObject metadata = object(request.getValue("metadata"), "metadata");
        if (metadata != null) {
            String user = string(metadata.getValue("user_id"), "metadata.user_id");
            if (user != null) {
                out.put("user", user);
            }
        }
        tools(request, out);
        return out;
    }

    private static void refuseWhatHasNoCounterpart(JsonObject request) {
        if (request.getValue("top_k") != null) {
            throw new Untranslatable("top_k", "OpenAI models take no top_k; use top_p.");
        }
        JsonObject thinking = object(request.getValue("thinking"), "thinking");
        if (thinking != null && !"disabled".equals(thinking.getValue("type"))) {
            throw new Untranslatable("thinking", "Extended thinking is not translated to OpenAI models.");
        }
        for (String field : new String[]{"mcp_servers", "container"}) {
            if (request.getValue(field) != null) {
                throw new Untranslatable(field, field + " is not translated to OpenAI models.");
            }
        }
    }

    private static String systemText(Object system) {
        if (system instanceof String text) {
            return text;
        }
        JsonArray blocks = requiredArray(system, "system");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonObject block = requiredObject(blocks.getValue(i), "system[" + i + "]");
            if (!"text".equals(block.getValue("type"))) {
                throw new Untranslatable("system[" + i + "].type", "System blocks must be text.");
            }
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(requiredString(block.getValue("text"), "system[" + i + "].text"));
        }
        return text.toString();
    }

    private static void user(Object content, String param, JsonArray messages) {
        if (content instanceof String text) {
            messages.add(new JsonObject().put("role", "user").put("content", text));
            return;
        }
        JsonArray blocks = requiredArray(content, param);
        JsonArray parts = new JsonArray();
        for (int i = 0; i < blocks.size(); i++) {
            String blockParam = param + "[" + i + "]";
            JsonObject block = requiredObject(blocks.getValue(i), blockParam);
            String type = requiredString(block.getValue("type"), blockParam + ".type");
            switch (type) {
                case "tool_result" -> messages.add(toolMessage(block, blockParam));
                case "text" -> parts.add(textPart(requiredString(block.getValue("text"), blockParam + ".text")));
                case "image" -> parts.add(imagePart(requiredObject(block.getValue("source"), blockParam + ".source"),
                        blockParam + ".source"));
                case "document" -> parts.add(documentPart(block, blockParam));
                default -> throw new Untranslatable(blockParam + ".type",
                        "Content blocks of type '" + type + "' are not translated to OpenAI.");
            }
        }
        if (parts.size() == 1 && "text".equals(parts.getJsonObject(0).getString("type"))) {
            messages.add(new JsonObject().put("role", "user").put("content", parts.getJsonObject(0).getString("text")));
        } else if (!parts.isEmpty()) {
            messages.add(new JsonObject().put("role", "user").put("content", parts));
        }
    }

    private static JsonObject textPart(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    private static JsonObject imagePart(JsonObject source, String param) {
        String url = switch (String.valueOf(source.getValue("type"))) {
            case "base64" -> "data:" + requiredString(source.getValue("media_type"), param + ".media_type")
                    + ";base64," + requiredString(source.getValue("data"), param + ".data");
            case "url" -> requiredString(source.getValue("url"), param + ".url");
            default -> throw new Untranslatable(param + ".type",
                    "Only base64 and url image sources are translated to OpenAI.");
        };
        return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
    }

    private static JsonObject documentPart(JsonObject block, String param) {
        JsonObject source = requiredObject(block.getValue("source"), param + ".source");
        Object type = source.getValue("type");
        if ("text".equals(type)) {
            return textPart(requiredString(source.getValue("data"), param + ".source.data"));
        }
        if ("base64".equals(type) && "application/pdf".equals(source.getValue("media_type"))) {
            String title = string(block.getValue("title"), param + ".title");
            return new JsonObject().put("type", "file").put("file", new JsonObject()
                    .put("filename", title != null ? title : "document.pdf")
                    .put("file_data", "data:application/pdf;base64,"
                            + requiredString(source.getValue("data"), param + ".source.data")));
        }
        throw new Untranslatable(param + ".source",
                "Only base64 PDF and plain-text documents are translated to OpenAI.");
    }

    private static JsonObject toolMessage(JsonObject block, String param) {
        String id = requiredString(block.getValue("tool_use_id"), param + ".tool_use_id");
        Object content = block.getValue("content");
        String text;
        if (content == null || content instanceof String) {
            text = content == null ? "" : (String) content;
        } else {
            JsonArray blocks = requiredArray(content, param + ".content");
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < blocks.size(); i++) {
                JsonObject inner = requiredObject(blocks.getValue(i), param + ".content[" + i + "]");
                if (!"text".equals(inner.getValue("type"))) {
                    throw new Untranslatable(param + ".content[" + i + "].type",
                            "OpenAI tool messages take text only; tool results with images are not translated.");
                }
                if (joined.length() > 0) {
                    joined.append("\n\n");
                }
                joined.append(requiredString(inner.getValue("text"), param + ".content[" + i + "].text"));
            }
            text = joined.toString();
        }
        return new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", text);
    }

    private static JsonObject assistant(Object content, String param) {
        JsonObject message = new JsonObject().put("role", "assistant");
        if (content instanceof String text) {
            return message.put("content", text);
        }
        JsonArray blocks = requiredArray(content, param);
        StringBuilder text = null;
        JsonArray calls = new JsonArray();
        for (int i = 0; i < blocks.size(); i++) {
            String blockParam = param + "[" + i + "]";
            JsonObject block = requiredObject(blocks.getValue(i), blockParam);
            String type = requiredString(block.getValue("type"), blockParam + ".type");
            switch (type) {
                case "text" -> {
                    text = text == null ? new StringBuilder() : text;
                    text.append(requiredString(block.getValue("text"), blockParam + ".text"));
                }
                case "tool_use" -> {
                    JsonObject input = object(block.getValue("input"), blockParam + ".input");
                    calls.add(Translation.toolCall(requiredString(block.getValue("id"), blockParam + ".id"),
                            requiredString(block.getValue("name"), blockParam + ".name"),
                            input == null ? new JsonObject() : input));
                }
                case "thinking", "redacted_thinking" -> {
                    // the model's earlier reasoning: OpenAI's chat history has no place for it
                }
                default -> throw new Untranslatable(blockParam + ".type",
                        "Content blocks of type '" + type + "' are not translated to OpenAI.");
            }
        }
        message.put("content", text == null ? (calls.isEmpty() ? "" : null) : text.toString());
        if (!calls.isEmpty()) {
            message.put("tool_calls", calls);
        }
        return message;
    }

    private static void tools(JsonObject request, JsonObject out) {
        JsonArray tools = array(request.getValue("tools"), "tools");
        if (tools == null || tools.isEmpty()) {
            return; // tool_choice means nothing without tools, and OpenAI refuses it alone
        }
        JsonArray functions = new JsonArray();
        for (int i = 0; i < tools.size(); i++) {
            String param = "tools[" + i + "]";
            JsonObject tool = requiredObject(tools.getValue(i), param);
            Object type = tool.getValue("type");
            if (type != null && !"custom".equals(type)) {
                throw new Untranslatable(param + ".type",
                        "Anthropic's server tools ('" + type + "') are not translated to OpenAI.");
            }
            JsonObject function = new JsonObject().put("name",
                    requiredString(tool.getValue("name"), param + ".name"));
            String description = string(tool.getValue("description"), param + ".description");
            if (description != null) {
                function.put("description", description);
            }
            function.put("parameters", requiredObject(tool.getValue("input_schema"), param + ".input_schema").copy());
            functions.add(new JsonObject().put("type", "function").put("function", function));
        }
        out.put("tools", functions);
        JsonObject choice = object(request.getValue("tool_choice"), "tool_choice");
        if (choice == null) {
            return;
        }
        String type = requiredString(choice.getValue("type"), "tool_choice.type");
        switch (type) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> out.put("tool_choice", new JsonObject().put("type", "function").put("function",
                    new JsonObject().put("name", requiredString(choice.getValue("name"), "tool_choice.name"))));
            default -> throw new Untranslatable("tool_choice.type", "Unknown tool_choice type '" + type + "'.");
        }
        if (Boolean.TRUE.equals(bool(choice.getValue("disable_parallel_tool_use"),
                "tool_choice.disable_parallel_tool_use")) && !"none".equals(type)) {
            out.put("parallel_tool_calls", false);
        }
    }
}
