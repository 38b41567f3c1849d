package dev.tollgate.aiproxy.internal;

import java.util.function.Consumer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tollgate's own token counts (JTokkit, {@code o200k_base}), used where an upstream reports none, and the bound of a
 * prompt's tokens that sizes the worst-case reservation before a call ({@link #promptBound}, no tokenizer). Counts are
 * estimates for models with other tokenizers: a prompt is counted as the text of its messages, system prompt and tool
 * schemas plus {@value #PER_MESSAGE} tokens per message, and every image as {@value #PER_IMAGE} tokens (about the most
 * a vendor counts for one).
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
     * The prompt of a Chat Completions or Messages request, or the input of an embeddings request: its {@linkplain
     * #strings strings} plus {@value #PER_MESSAGE} tokens per message and {@value #PER_IMAGE} per image.
     */
    static long prompt(JsonObject request) {
        StringBuilder text = new StringBuilder(256);
        long images = strings(request, s -> text.append(s).append(' '));
        return count(text) + perMessage(request) + images * PER_IMAGE;
    }

    /**
     * At least as many tokens as the prompt of {@link #prompt} can have under any byte-level BPE tokenizer (OpenAI's,
     * Anthropic's, Llama's), without tokenizing: every such token stands for at least one byte of UTF-8, so the text
     * has at most as many tokens as bytes. Counts the same {@linkplain #strings strings}, each with one more byte
     * (what separates it from the next), the same {@value #PER_MESSAGE} per message and {@value #PER_IMAGE} per image,
     * and {@value #TOOLS_OVERHEAD} for the instructions a vendor adds to a call with tools. About 4 times
     * {@link #prompt} for English prose, a little over it for CJK text; linear in the request's size, and cheap enough
     * for the event loop.
     */
    static long promptBound(JsonObject request) {
        long[] bytes = new long[1];
        long images = strings(request, s -> bytes[0] += utf8Length(s) + 1);
        boolean tools = request.getValue("tools") != null || request.getValue("functions") != null;
        return bytes[0] + (tools ? TOOLS_OVERHEAD : 0) + perMessage(request) + images * PER_IMAGE;
    }

    /** What a vendor may add to the prompt of a call with tools (Anthropic documents up to 346 tokens). */
    static final int TOOLS_OVERHEAD = 500;

    /**
     * Feeds the prompt's text to {@code out}: every string of {@code system}, {@code messages}, {@code input} and
     * {@code prompt} (not the values of {@code type}, ids or images), and the schemas a vendor writes into the prompt —
     * {@code tools}, the older {@code functions} and a structured output's {@code response_format} — whole, keys
     * included. Numbers count as their digits (an embeddings input may be token ids). Returns the number of images.
     */
    private static long strings(JsonObject request, Consumer<String> out) {
        long[] images = new long[1];
        for (String field : new String[]{"system", "messages", "input", "prompt"}) {
            walk(request.getValue(field), false, images, out);
        }
        for (String field : new String[]{"tools", "functions", "response_format"}) {
            walk(request.getValue(field), true, images, out);
        }
        return images[0];
    }

    private static long perMessage(JsonObject request) {
        return request.getValue("messages") instanceof JsonArray messages ? (long) messages.size() * PER_MESSAGE : 0;
    }

    /** {@code value}'s strings (and object keys and other scalars, when {@code schema}) to {@code out}. */
    private static void walk(Object value, boolean schema, long[] images, Consumer<String> out) {
        if (value instanceof String s) {
            out.accept(s);
        } else if (value instanceof JsonArray array) {
            for (Object item : array) {
                walk(item, schema, images, out);
            }
        } else if (value instanceof JsonObject object) {
            if (object.getValue("type") instanceof String type && isImage(type)) {
                images[0]++;
                return;
            }
            for (var entry : object) {
                if (schema) {
                    out.accept(entry.getKey());
                    walk(entry.getValue(), true, images, out);
                } else if (counted(entry.getKey())) {
                    walk(entry.getValue(), false, images, out);
                }
            }
        } else if (value instanceof Number || (value != null && schema)) {
            out.accept(String.valueOf(value));
        }
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
        Consumer<String> out = s -> text.append(s).append(' ');
        if (response.getValue("choices") instanceof JsonArray choices) {
            for (Object choice : choices) {
                if (choice instanceof JsonObject c) {
                    walk(c.getValue("message"), false, images, out);
                }
            }
        }
        walk(response.getValue("content"), false, images, out);
        return count(text);
    }
}
