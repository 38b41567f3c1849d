package dev.tollgate.aiproxy.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tollgate's own token counts (JTokkit, {@code o200k_base}), used where an upstream reports none and to size the
 * worst-case reservation before a call. Counts are estimates for models with other tokenizers: a prompt is counted
 * as the text of its messages, system prompt and tools plus {@value #PER_MESSAGE} tokens per message, and every image
 * as {@value #PER_IMAGE} tokens (about the most a vendor counts for one).
 */
final class TokenCounter {

    static final int PER_MESSAGE = 4;
    static final int PER_IMAGE = 1600;

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private TokenCounter() {
    }

    /**
     * Texts longer than this are not tokenized (it runs on the event loop and would hold it for too long): they count
     * as one token per {@value #CHARS_PER_TOKEN_BEYOND} characters, more than BPE tokenizers produce for prose.
     */
    static final int TOKENIZE_AT_MOST = 100_000;
    static final int CHARS_PER_TOKEN_BEYOND = 3;

    static long count(CharSequence text) {
        if (text.length() > TOKENIZE_AT_MOST) {
            return (text.length() + CHARS_PER_TOKEN_BEYOND - 1) / CHARS_PER_TOKEN_BEYOND;
        }
        return text.length() == 0 ? 0 : ENCODING.countTokensOrdinary(text.toString());
    }

    /**
     * The prompt of a Chat Completions or Messages request, or the input of an embeddings request: every string in
     * {@code system}, {@code messages}, {@code tools} and {@code input}, except image data and URLs.
     */
    static long prompt(JsonObject request) {
        long[] images = new long[1];
        StringBuilder text = new StringBuilder(256);
        for (String field : new String[]{"system", "messages", "tools", "input", "prompt"}) {
            collect(request.getValue(field), text, images);
        }
        JsonArray messages = request.getValue("messages") instanceof JsonArray a ? a : null;
        long overhead = messages == null ? 0 : (long) messages.size() * PER_MESSAGE;
        return count(text) + overhead + images[0] * PER_IMAGE;
    }

    /**
     * The generated part of a non-streaming answer in either format: OpenAI's {@code choices[].message} (content,
     * refusal, tool calls) or Anthropic's {@code content} blocks (text, tool inputs).
     */
    static long answer(JsonObject response) {
        long[] images = new long[1];
        StringBuilder text = new StringBuilder(256);
        if (response.getValue("choices") instanceof JsonArray choices) {
            for (Object choice : choices) {
                if (choice instanceof JsonObject c) {
                    collect(c.getValue("message"), text, images);
                }
            }
        }
        collect(response.getValue("content"), text, images);
        return count(text);
    }

    private static void collect(Object value, StringBuilder text, long[] images) {
        if (value instanceof String s) {
            text.append(s).append(' ');
        } else if (value instanceof JsonArray array) {
            for (Object item : array) {
                collect(item, text, images);
            }
        } else if (value instanceof JsonObject object) {
            String type = object.getString("type", "");
            if (type.equals("image_url") || type.equals("image") || type.equals("input_image")
                    || type.equals("document")) {
                images[0]++;
                return;
            }
            for (var entry : object) {
                if (!entry.getKey().equals("type") && !entry.getKey().equals("id")
                        && !entry.getKey().equals("tool_call_id") && !entry.getKey().equals("tool_use_id")) {
                    collect(entry.getValue(), text, images);
                }
            }
        }
    }
}
