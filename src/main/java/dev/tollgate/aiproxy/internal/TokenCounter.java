package dev.tollgate.aiproxy.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tollgate's own token counts (JTokkit, {@code o200k_base}), used where an upstream reports none, and the bound of a
 * prompt's tokens that sizes the worst-case reservation before a call ({@link #promptBound}, no tokenizer). Counts are
 * estimates for models with other tokenizers: a prompt is counted as the text of its messages, system prompt and tools
 * plus {@value #PER_MESSAGE} tokens per message, and every image as {@value #PER_IMAGE} tokens (about the most a vendor
 * counts for one).
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
     * At least as many tokens as the prompt of {@link #prompt} can have under any byte-level BPE tokenizer (OpenAI's,
     * Anthropic's, Llama's), without tokenizing: every such token stands for at least one byte of UTF-8, so the text
     * has at most as many tokens as bytes. Counts one more per string (what separates it from the next), the same
     * {@value #PER_MESSAGE} per message and {@value #PER_IMAGE} per image as {@link #prompt}, and for tools (or the
     * older functions) and a structured output's {@code response_format} their schemas whole (keys included: vendors
     * write them into the prompt), plus {@value #TOOLS_OVERHEAD} for the instructions a vendor adds to a call with
     * tools. About 4 times {@link #prompt} for English prose, a
     * little over it for CJK text; linear in the request's size, and cheap enough for the event loop.
     */
    static long promptBound(JsonObject request) {
        long[] images = new long[1];
        long bytes = 0;
        for (String field : new String[]{"system", "messages", "input", "prompt"}) {
            bytes += bound(request.getValue(field), images, false);
        }
        // schemas a vendor writes into the prompt: tools (and the older functions), and a structured output's schema
        for (String field : new String[]{"tools", "functions", "response_format"}) {
            Object schema = request.getValue(field);
            if (schema != null) {
                bytes += bound(schema, images, true) + (field.equals("response_format") ? 0 : TOOLS_OVERHEAD);
            }
        }
        JsonArray messages = request.getValue("messages") instanceof JsonArray a ? a : null;
        long overhead = messages == null ? 0 : (long) messages.size() * PER_MESSAGE;
        return bytes + overhead + images[0] * PER_IMAGE;
    }

    /** What a vendor may add to the prompt of a call with tools (Anthropic documents up to 346 tokens). */
    static final int TOOLS_OVERHEAD = 500;

    private static long bound(Object value, long[] images, boolean keys) {
        if (value instanceof String s) {
            return utf8Length(s) + 1;
        } else if (value instanceof JsonArray array) {
            long bytes = 0;
            for (Object item : array) {
                bytes += bound(item, images, keys);
            }
            return bytes;
        } else if (value instanceof JsonObject object) {
            if (object.getValue("type") instanceof String type && isImage(type)) {
                images[0]++;
                return 0;
            }
            long bytes = 0;
            for (var entry : object) {
                if (keys) {
                    bytes += utf8Length(entry.getKey()) + 1;
                    bytes += bound(entry.getValue(), images, true);
                } else if (counted(entry.getKey())) {
                    bytes += bound(entry.getValue(), images, false);
                }
            }
            return bytes;
        } else if (value != null && keys) {
            return String.valueOf(value).length() + 1; // numbers and booleans of a schema
        } else if (value instanceof Number) {
            return 1; // an embeddings input given as token ids
        }
        return 0;
    }

    private static long utf8Length(String s) {
        long bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // 2 bytes below U+0800, else 3; a surrogate pair is 4 bytes for its 2 chars
                bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    private static boolean isImage(String type) {
        return type.equals("image_url") || type.equals("image") || type.equals("input_image")
                || type.equals("document");
    }

    private static boolean counted(String key) {
        return !key.equals("type") && !key.equals("id") && !key.equals("tool_call_id") && !key.equals("tool_use_id");
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
            if (object.getValue("type") instanceof String type && isImage(type)) {
                images[0]++;
                return;
            }
            for (var entry : object) {
                if (counted(entry.getKey())) {
                    collect(entry.getValue(), text, images);
                }
            }
        }
    }
}
