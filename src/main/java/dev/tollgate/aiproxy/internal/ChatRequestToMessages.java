package dev.tollgate.aiproxy.internal;

import dev.tollgate.aiproxy.internal.Translation.Untranslatable;
import io.vertx.core.json.Json;
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
 * An OpenAI Chat Completions request as an Anthropic Messages request. System and developer messages become the
 * top-level {@code system}; tool messages become {@code tool_result} blocks of a user turn; consecutive turns of one
 * role are merged, because Anthropic wants the roles to alternate.
 */
final class ChatRequestToMessages {

    private ChatRequestToMessages() {
    }

    static JsonObject translate(JsonObject chat) {
        refuseWhatHasNoCounterpart(chat);
        JsonObject out = new JsonObject();
        JsonArray system = new JsonArray();
        JsonArray turns = new JsonArray();
        JsonArray messages = requiredArray(chat.getValue("messages"), "messages");
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            JsonObject message = requiredObject(messages.getValue(i), param);
            String role = requiredString(message.getValue("role"), param + ".role");
            switch (role) {
                case "system", "developer" -> system.addAll(systemBlocks(message.getValue("content"), param));
                case "user" -> append(turns, "user", userBlocks(message.getValue("content"), param + ".content"));
                case "assistant" -> append(turns, "assistant", assistantBlocks(message, param));
                case "tool" -> append(turns, "user", new JsonArray().add(toolResult(message, param)));
                case "function" -> throw new Untranslatable(param + ".role",
                        "Function messages (the deprecated function calling) cannot be sent to an Anthropic model; "
                                + "use tools and tool messages.");
                default -> throw new Untranslatable(param + ".role", "Unknown role '" + role + "'.");
            }
        }
        if (turns.isEmpty()) {
            throw new Untranslatable("messages",
                    "At least one user or assistant message is needed for an Anthropic model.");
        }
        if (system.size() == 1) {
            out.put("system", system.getJsonObject(0).getString("text"));
        } else if (!system.isEmpty()) {
            out.put("system", system);
        }
        for (int i = 0; i < turns.size(); i++) {
            JsonObject turn = turns.getJsonObject(i);
            turn.put("content", toolResultsFirst(turn.getJsonArray("content")));
        }
        out.put("messages", turns);

        Number maxTokens = number(chat.getValue("max_completion_tokens"), "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = number(chat.getValue("max_tokens"), "max_tokens");
        }
        if (maxTokens != null) {
            out.put("max_tokens", maxTokens.longValue());
        }
        Number temperature = number(chat.getValue("temperature"), "temperature");
        if (temperature != null) {
            if (temperature.doubleValue() > 1) {
                throw new Untranslatable("temperature",
                        "Anthropic models take a temperature between 0 and 1; " + temperature + " is above it.");
            }
            out.put("temperature", temperature);
        }
        Number topP = number(chat.getValue("top_p"), "top_p");
        if (topP != null) {
            out.put("top_p", topP);
        }
        JsonArray stop = stopSequences(chat.getValue("stop"));
        if (stop != null && !stop.isEmpty()) {
            out.put("stop_sequences", stop);
        }
        Boolean stream = bool(chat.getValue("stream"), "stream");
        if (stream != null) {
            out.put("stream", stream);
        }
        String user = string(chat.getValue("user"), "user");
        if (user == null) {
            user = string(chat.getValue("safety_identifier"), "safety_identifier");
        }
        if (user != null) {
            out.put("metadata", new JsonObject().put("user_id", user));
        }
        tools(chat, out);
        return out;
    }

    private static void refuseWhatHasNoCounterpart(JsonObject chat) {
        Number n = number(chat.getValue("n"), "n");
        if (n != null && n.longValue() != 1) {
            throw new Untranslatable("n", "Anthropic models generate one choice per request; n must be 1.");
        }
        if (Boolean.TRUE.equals(bool(chat.getValue("logprobs"), "logprobs"))) {
            throw new Untranslatable("logprobs", "Anthropic models do not return log probabilities.");
        }
        if (chat.getValue("top_logprobs") != null) {
            throw new Untranslatable("top_logprobs", "Anthropic models do not return log probabilities.");
        }
        JsonObject format = object(chat.getValue("response_format"), "response_format");
        if (format != null && !"text".equals(format.getValue("type"))) {
            throw new Untranslatable("response_format", "response_format '" + format.getValue("type")
                    + "' cannot be enforced on an Anthropic model; only 'text' is supported.");
        }
        for (String penalty : new String[]{"frequency_penalty", "presence_penalty"}) {
            Number value = number(chat.getValue(penalty), penalty);
            if (value != null && value.doubleValue() != 0) {
                throw new Untranslatable(penalty, "Anthropic models have no " + penalty + "; leave it out or 0.");
            }
        }
        JsonObject logitBias = object(chat.getValue("logit_bias"), "logit_bias");
        if (logitBias != null && !logitBias.isEmpty()) {
            throw new Untranslatable("logit_bias", "Anthropic models take no logit_bias.");
        }
        if (chat.getValue("functions") != null || chat.getValue("function_call") != null) {
            throw new Untranslatable(chat.getValue("functions") != null ? "functions" : "function_call",
                    "The deprecated functions/function_call cannot be sent to an Anthropic model; use tools and "
                            + "tool_choice.");
        }
        if (chat.getValue("audio") != null) {
            throw new Untranslatable("audio", "Anthropic models do not produce audio.");
        }
        JsonArray modalities = array(chat.getValue("modalities"), "modalities");
        if (modalities != null) {
            for (Object modality : modalities) {
                if (!"text".equals(modality)) {
                    throw new Untranslatable("modalities", "Anthropic models answer in text only.");
                }
            }
        }
        if (chat.getValue("reasoning_effort") != null) {
            throw new Untranslatable("reasoning_effort",
                    "reasoning_effort has no counterpart here; Anthropic's extended thinking is not translated.");
        }
        if (chat.getValue("verbosity") != null) {
            throw new Untranslatable("verbosity", "Anthropic models take no verbosity setting.");
        }
        if (chat.getValue("web_search_options") != null) {
            throw new Untranslatable("web_search_options", "Web search is not translated to Anthropic models.");
        }
    }

    private static void append(JsonArray turns, String role, JsonArray blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonObject last = turns.isEmpty() ? null : turns.getJsonObject(turns.size() - 1);
        if (last != null && role.equals(last.getString("role"))) {
            last.getJsonArray("content").addAll(blocks);
        } else {
            turns.add(new JsonObject().put("role", role).put("content", blocks));
        }
    }

    /** Anthropic wants a user turn's tool results before anything else in it. */
    private static JsonArray toolResultsFirst(JsonArray blocks) {
        JsonArray ordered = new JsonArray();
        for (Object block : blocks) {
            if ("tool_result".equals(((JsonObject) block).getValue("type"))) {
                ordered.add(block);
            }
        }
        if (ordered.isEmpty() || ordered.size() == blocks.size()) {
            return blocks;
        }
        for (Object block : blocks) {
            if (!"tool_result".equals(((JsonObject) block).getValue("type"))) {
                ordered.add(block);
            }
        }
        return ordered;
    }

    private static JsonArray systemBlocks(Object content, String param) {
        JsonArray blocks = new JsonArray();
        if (content instanceof String text) {
            if (!text.isEmpty()) {
                blocks.add(Translation.textBlock(text));
            }
            return blocks;
        }
        JsonArray parts = requiredArray(content, param + ".content");
        for (int i = 0; i < parts.size(); i++) {
            String partParam = param + ".content[" + i + "]";
            JsonObject part = requiredObject(parts.getValue(i), partParam);
            if (!"text".equals(part.getValue("type"))) {
                throw new Untranslatable(partParam + ".type", "System and developer messages take text parts only.");
            }
            blocks.add(Translation.textBlock(requiredString(part.getValue("text"), partParam + ".text")));
        }
        return blocks;
    }

    private static JsonArray userBlocks(Object content, String param) {
        JsonArray blocks = new JsonArray();
        if (content instanceof String text) {
            return blocks.add(Translation.textBlock(text));
        }
        if (content == null) {
            throw new Untranslatable(param, "is required");
        }
        JsonArray parts = requiredArray(content, param);
        for (int i = 0; i < parts.size(); i++) {
            String partParam = param + "[" + i + "]";
            JsonObject part = requiredObject(parts.getValue(i), partParam);
            String type = requiredString(part.getValue("type"), partParam + ".type");
            switch (type) {
                case "text" -> blocks.add(Translation.textBlock(requiredString(part.getValue("text"),
                        partParam + ".text")));
                case "image_url" -> blocks.add(image(part.getValue("image_url"), partParam + ".image_url"));
                case "file" -> blocks.add(document(requiredObject(part.getValue("file"), partParam + ".file"),
                        partParam + ".file"));
                case "input_audio" -> throw new Untranslatable(partParam,
                        "Anthropic models take no audio input.");
                default -> throw new Untranslatable(partParam + ".type",
                        "Content parts of type '" + type + "' are not translated to Anthropic.");
            }
        }
        return blocks;
    }

    private static JsonObject image(Object imageUrl, String param) {
        String url = imageUrl instanceof String s
                ? s
                : requiredString(requiredObject(imageUrl, param).getValue("url"), param + ".url");
        String[] data = JsonFields.base64DataUrl(url);
        JsonObject source;
        if (data != null) {
            source = new JsonObject().put("type", "base64").put("media_type", data[0]).put("data", data[1]);
        } else if (JsonFields.isHttpUrl(url)) {
            source = new JsonObject().put("type", "url").put("url", url);
        } else {
            throw new Untranslatable(param + ".url", "An image must be an http(s) URL or a base64 data: URL.");
        }
        return new JsonObject().put("type", "image").put("source", source);
    }

    private static JsonObject document(JsonObject file, String param) {
        String fileData = string(file.getValue("file_data"), param + ".file_data");
        String[] data = fileData == null ? null : JsonFields.base64DataUrl(fileData);
        if (data == null || !"application/pdf".equals(data[0])) {
            throw new Untranslatable(param,
                    "Only PDF files sent inline as a base64 data: URL in file_data are translated to Anthropic.");
        }
        JsonObject document = new JsonObject().put("type", "document").put("source",
                new JsonObject().put("type", "base64").put("media_type", data[0]).put("data", data[1]));
        String filename = string(file.getValue("filename"), param + ".filename");
        if (filename != null) {
            document.put("title", filename);
        }
        return document;
    }

    private static JsonArray assistantBlocks(JsonObject message, String param) {
        if (message.getValue("function_call") != null) {
            throw new Untranslatable(param + ".function_call",
                    "The deprecated function_call cannot be sent to an Anthropic model; use tool_calls.");
        }
        if (message.getValue("audio") != null) {
            throw new Untranslatable(param + ".audio", "Anthropic models take no audio.");
        }
        JsonArray blocks = new JsonArray();
        Object content = message.getValue("content");
        if (content instanceof String text) {
            if (!text.isEmpty()) {
                blocks.add(Translation.textBlock(text));
            }
        } else if (content != null) {
            JsonArray parts = requiredArray(content, param + ".content");
            for (int i = 0; i < parts.size(); i++) {
                String partParam = param + ".content[" + i + "]";
                JsonObject part = requiredObject(parts.getValue(i), partParam);
                Object type = part.getValue("type");
                String text = "refusal".equals(type)
                        ? requiredString(part.getValue("refusal"), partParam + ".refusal")
                        : "text".equals(type) ? requiredString(part.getValue("text"), partParam + ".text") : null;
                if (text == null) {
                    throw new Untranslatable(partParam + ".type", "Assistant messages take text parts only.");
                }
                if (!text.isEmpty()) {
                    blocks.add(Translation.textBlock(text));
                }
            }
        }
        String refusal = string(message.getValue("refusal"), param + ".refusal");
        if (blocks.isEmpty() && refusal != null && !refusal.isEmpty()) {
            blocks.add(Translation.textBlock(refusal));
        }
        JsonArray calls = array(message.getValue("tool_calls"), param + ".tool_calls");
        if (calls != null) {
            for (int i = 0; i < calls.size(); i++) {
                blocks.add(toolUse(requiredObject(calls.getValue(i), param + ".tool_calls[" + i + "]"),
                        param + ".tool_calls[" + i + "]"));
            }
        }
        return blocks;
    }

    private static JsonObject toolUse(JsonObject call, String param) {
        Object type = call.getValue("type");
        if (type != null && !"function".equals(type)) {
            throw new Untranslatable(param + ".type", "Only function tool calls are translated to Anthropic.");
        }
        JsonObject function = requiredObject(call.getValue("function"), param + ".function");
        String arguments = string(function.getValue("arguments"), param + ".function.arguments");
        JsonObject input;
        if (arguments == null || arguments.isBlank()) {
            input = new JsonObject();
        } else {
            Object value;
            try {
                value = Json.decodeValue(arguments);
            } catch (RuntimeException e) {
                value = null;
            }
            if (!(value instanceof JsonObject object)) {
                throw new Untranslatable(param + ".function.arguments",
                        "Tool call arguments must be a JSON object to be sent to an Anthropic model.");
            }
            input = object;
        }
        return new JsonObject().put("type", "tool_use")
                .put("id", Translation.toolUseIdOf(requiredString(call.getValue("id"), param + ".id")))
                .put("name", requiredString(function.getValue("name"), param + ".function.name"))
                .put("input", input);
    }

    private static JsonObject toolResult(JsonObject message, String param) {
        String id = requiredString(message.getValue("tool_call_id"), param + ".tool_call_id");
        JsonObject result = new JsonObject().put("type", "tool_result").put("tool_use_id",
                Translation.toolUseIdOf(id));
        Object content = message.getValue("content");
        if (content instanceof String text) {
            result.put("content", text);
        } else if (content != null) {
            JsonArray parts = requiredArray(content, param + ".content");
            JsonArray blocks = new JsonArray();
            for (int i = 0; i < parts.size(); i++) {
                String partParam = param + ".content[" + i + "]";
                JsonObject part = requiredObject(parts.getValue(i), partParam);
                if (!"text".equals(part.getValue("type"))) {
                    throw new Untranslatable(partParam + ".type", "Tool messages take text parts only.");
                }
                blocks.add(Translation.textBlock(requiredString(part.getValue("text"), partParam + ".text")));
            }
            result.put("content", blocks);
        }
        return result;
    }

    private static JsonArray stopSequences(Object stop) {
        if (stop == null) {
            return null;
        }
        if (stop instanceof String s) {
            return new JsonArray().add(s);
        }
        JsonArray sequences = requiredArray(stop, "stop");
        for (int i = 0; i < sequences.size(); i++) {
            requiredString(sequences.getValue(i), "stop[" + i + "]");
        }
        return sequences.copy();
    }

    private static void tools(JsonObject chat, JsonObject out) {
        JsonArray tools = array(chat.getValue("tools"), "tools");
        JsonArray translated = new JsonArray();
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                String param = "tools[" + i + "]";
                JsonObject tool = requiredObject(tools.getValue(i), param);
                if (!"function".equals(tool.getValue("type"))) {
                    throw new Untranslatable(param + ".type", "Only function tools are translated to Anthropic.");
                }
                JsonObject function = requiredObject(tool.getValue("function"), param + ".function");
                JsonObject anthropic = new JsonObject().put("name",
                        requiredString(function.getValue("name"), param + ".function.name"));
                String description = string(function.getValue("description"), param + ".function.description");
                if (description != null) {
                    anthropic.put("description", description);
                }
                JsonObject schema = object(function.getValue("parameters"), param + ".function.parameters");
                anthropic.put("input_schema", schema != null
                        ? schema.copy()
                        : new JsonObject().put("type", "object").put("properties", new JsonObject()));
                translated.add(anthropic);
            }
        }
        if (translated.isEmpty()) {
            return; // tool_choice and parallel_tool_calls mean nothing without tools
        }
        out.put("tools", translated);
        JsonObject choice = toolChoice(chat.getValue("tool_choice"));
        if (Boolean.FALSE.equals(bool(chat.getValue("parallel_tool_calls"), "parallel_tool_calls"))) {
            if (choice == null) {
                choice = new JsonObject().put("type", "auto");
            }
            if (!"none".equals(choice.getString("type"))) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            out.put("tool_choice", choice);
        }
    }

    private static JsonObject toolChoice(Object choice) {
        if (choice == null) {
            return null;
        }
        if (choice instanceof String mode) {
            return switch (mode) {
                case "auto" -> new JsonObject().put("type", "auto");
                case "none" -> new JsonObject().put("type", "none");
                case "required" -> new JsonObject().put("type", "any");
                default -> throw new Untranslatable("tool_choice", "Unknown tool_choice '" + mode + "'.");
            };
        }
        JsonObject named = requiredObject(choice, "tool_choice");
        if (!"function".equals(named.getValue("type"))) {
            throw new Untranslatable("tool_choice.type",
                    "Only tool_choice auto, none, required or a named function is translated to Anthropic.");
        }
        String name = requiredString(requiredObject(named.getValue("function"), "tool_choice.function")
                .getValue("name"), "tool_choice.function.name");
        return new JsonObject().put("type", "tool").put("name", name);
    }
}
