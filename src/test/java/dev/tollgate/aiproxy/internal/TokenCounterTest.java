package dev.tollgate.aiproxy.internal;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/** Tollgate's own token counts, used when an upstream reports no usage. */
class TokenCounterTest {

    @Test
    void an_answer_counts_its_generated_text_in_either_format_and_nothing_else() {
        String text = "The quick brown fox jumps over the lazy dog.";
        long expected = TokenCounter.count(text + " ");
        JsonObject openAi = new JsonObject("{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}]}");
        JsonObject anthropic = new JsonObject("{\"id\":\"msg_1\",\"model\":\"claude\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\"}");
        assertThat(expected).isBetween(8L, 12L);
        assertThat(TokenCounter.answer(openAi)).isEqualTo(expected);
        assertThat(TokenCounter.answer(anthropic)).isEqualTo(expected);
    }

    @Test
    void a_prompt_counts_messages_with_their_overhead_and_images_at_a_fixed_size() {
        JsonObject request = new JsonObject("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"hello\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]}]}");
        assertThat(TokenCounter.prompt(request)).isEqualTo(TokenCounter.count("user hello ")
                + TokenCounter.PER_MESSAGE + TokenCounter.PER_IMAGE);
    }

    @Test
    void a_very_long_text_is_not_tokenized_but_counted_generously() {
        String prose = "The quick brown fox jumps over the lazy dog. ".repeat(5_000);
        assertThat(prose.length()).isGreaterThan(TokenCounter.TOKENIZE_AT_MOST);
        long bound = TokenCounter.count(prose);
        assertThat(bound).isEqualTo((prose.length() + 2) / 3);
        // more than the tokenizer would say for the same text, so a reservation is never too small because of it
        assertThat(bound).isGreaterThan(TokenCounter.count(prose.substring(0, 90_000)) * prose.length() / 90_000);
    }

    @Test
    void the_bound_of_a_prompt_is_never_below_its_tokens_whatever_the_script() {
        String[] texts = {"The quick brown fox jumps over the lazy dog.", "東京都の天気は晴れ、最高気温は二十五度です。",
                "🦊🐶🐱 ZWJ 👩‍👩‍👧‍👦 emoji", "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
                "Ünïcödé àçcéntš ёжик в тумане ελληνικά", "x", "\t\n  \t spaces   and\ttabs",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
        for (String text : texts) {
            JsonObject request = new JsonObject().put("model", "m").put("system", text).put("messages",
                    new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", text))
                            .add(new JsonObject().put("role", "assistant").put("content", text + text)));
            long tokens = TokenCounter.prompt(request);
            assertThat(TokenCounter.promptBound(request)).as(text).isGreaterThanOrEqualTo(tokens)
                    // bytes, not a multiple of them
                    .isLessThanOrEqualTo(4L * text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 32);
        }
    }

    @Test
    void the_bound_counts_images_at_a_fixed_size_tools_whole_and_token_ids_at_least_one_each() {
        JsonObject withImage = new JsonObject("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"hello\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:"
                + "x".repeat(10_000) + "\"}}]}]}");
        // "user" and "hello", each with its separator, the message and the image: not the image's 10,000 bytes
        assertThat(TokenCounter.promptBound(withImage)).isEqualTo(5 + 6 + TokenCounter.PER_MESSAGE
                + TokenCounter.PER_IMAGE);

        JsonObject tool = new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "f")
                .put("parameters", new JsonObject().put("type", "object").put("properties",
                        new JsonObject().put("n", new JsonObject().put("type", "integer").put("maximum", 10)))));
        JsonObject withTools = new JsonObject().put("model", "m").put("tools", new io.vertx.core.json.JsonArray()
                .add(tool));
        long schema = tool.encode().length();
        assertThat(TokenCounter.promptBound(withTools)).isGreaterThanOrEqualTo(schema / 2 + TokenCounter.TOOLS_OVERHEAD)
                .isLessThanOrEqualTo(schema + TokenCounter.TOOLS_OVERHEAD);

        JsonObject structured = new JsonObject().put("model", "m").put("response_format", new JsonObject()
                .put("type", "json_schema").put("json_schema", tool));
        assertThat(TokenCounter.promptBound(structured)).isGreaterThanOrEqualTo(schema / 2)
                .isLessThanOrEqualTo(schema + 40);

        // JSON Schema lets "type" be a list: neither count may fail on it
        JsonObject nullable = new JsonObject("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"v\":{\"type\":[\"string\",\"null\"]}}}}}]}");
        assertThat(TokenCounter.promptBound(nullable)).isGreaterThan(TokenCounter.prompt(nullable));

        JsonObject ids = new JsonObject().put("model", "e").put("input", new io.vertx.core.json.JsonArray()
                .add(new io.vertx.core.json.JsonArray().add(1).add(2).add(3)).add(new io.vertx.core.json.JsonArray()
                        .add(4)));
        // each id as its digit and a separator: at least the one token it stands for
        assertThat(TokenCounter.promptBound(ids)).isEqualTo(8);
        assertThat(TokenCounter.prompt(ids)).isBetween(4L, 8L);
    }
}
