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
}
