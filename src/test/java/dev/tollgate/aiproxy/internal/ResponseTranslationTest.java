package dev.tollgate.aiproxy.internal;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.models.ErrorObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;

import dev.tollgate.aiproxy.internal.Translation.Untranslatable;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/** Non-streaming answers, usage and errors translated both ways, read back through the official SDKs' models. */
class ResponseTranslationTest {

    /** The shape of a real Anthropic answer with text, a tool use and prompt-cache usage (as FakeAnthropic sends). */
    private static final String MESSAGE = """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"The user wants weather.","signature":"sig"},
               {"type":"text","text":"Let me check","citations":null},{"type":"text","text":" the weather."},
               {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris","days":3},
                "caller":{"type":"direct"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":25,"cache_creation_input_tokens":40,"cache_read_input_tokens":100,
               "output_tokens":6,"service_tier":"standard"}}""";

    /** The shape of a real OpenAI answer with a tool call and cached prompt tokens (as FakeOpenAi sends). */
    private static final String COMPLETION = """
            {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,
             "model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"Checking.",
               "refusal":null,"annotations":[],"tool_calls":[{"id":"call_abc","type":"function",
               "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":1117,"completion_tokens":46,"total_tokens":1163,
               "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
               "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,
               "rejected_prediction_tokens":0}},
             "service_tier":"default","system_fingerprint":"fp_6b68a8204b"}""";

    @Nested
    class AnthropicToOpenAi {

        @Test
        void joins_the_text_turns_tool_use_into_tool_calls_and_counts_cached_tokens_into_the_prompt() {
            JsonObject out = Translation.messagesResponseToChat(new JsonObject(MESSAGE), "claude-public",
                    1_741_570_283L);

            ChatCompletion completion = Sdk.openAi(out.encode(), ChatCompletion.class).validate();
            assertThat(completion.id()).isEqualTo("chatcmpl-01XFDUDYJgAACzvnptvVoYEL");
            assertThat(completion.model()).isEqualTo("claude-public");
            assertThat(completion.created()).isEqualTo(1_741_570_283L);
            ChatCompletion.Choice choice = completion.choices().get(0);
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            assertThat(choice.message().content()).contains("Let me check the weather.");
            ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0)
                    .asFunction();
            assertThat(call.id()).isEqualTo("toolu_01A");
            assertThat(call.function().name()).isEqualTo("get_weather");
            assertThat(new JsonObject(call.function().arguments()))
                    .isEqualTo(new JsonObject().put("city", "Paris").put("days", 3));
            assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(25 + 40 + 100);
            assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(6);
            assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(171);
            assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens())
                    .contains(100L);
        }

        @Test
        void a_tool_use_only_answer_has_null_content() {
            JsonObject message = new JsonObject(MESSAGE);
            message.put("content", message.getJsonArray("content").copy());
            message.getJsonArray("content").remove(1);
            message.getJsonArray("content").remove(1);

            JsonObject out = Translation.messagesResponseToChat(message, "m", 1L);

            assertThat(out.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getValue("content"))
                    .isNull();
            Sdk.openAi(out.encode(), ChatCompletion.class).validate();
        }

        @ParameterizedTest
        @CsvSource({"end_turn,stop", "stop_sequence,stop", "max_tokens,length", "tool_use,tool_calls",
                "refusal,content_filter", "pause_turn,stop", "model_context_window_exceeded,length"})
        void maps_stop_reasons_to_finish_reasons(String stopReason, String finishReason) {
            JsonObject message = new JsonObject(MESSAGE).put("stop_reason", stopReason);

            ChatCompletion completion = Sdk.openAi(Translation.messagesResponseToChat(message, "m", 1L).encode(),
                    ChatCompletion.class).validate();

            assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo(finishReason);
        }
    }

    @Nested
    class OpenAiToAnthropic {

        @Test
        void turns_content_and_tool_calls_into_blocks_and_takes_cached_tokens_out_of_the_input() {
            JsonObject out = Translation.chatResponseToMessages(new JsonObject(COMPLETION), "gpt-public");

            Message message = Sdk.anthropic(out.encode(), Message.class).validate();
            assertThat(message.id()).isEqualTo("msg_B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
            assertThat(message.model().asString()).isEqualTo("gpt-public");
            assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
            assertThat(message.content()).hasSize(2);
            assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Checking.");
            ToolUseBlock toolUse = message.content().get(1).toolUse().orElseThrow();
            assertThat(toolUse.id()).isEqualTo("call_abc");
            assertThat(toolUse.name()).isEqualTo("get_weather");
            assertThat(toolUse._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
            assertThat(message.usage().inputTokens()).isEqualTo(1117 - 1024);
            assertThat(message.usage().cacheReadInputTokens()).contains(1024L);
            assertThat(message.usage().cacheCreationInputTokens()).contains(0L);
            assertThat(message.usage().outputTokens()).isEqualTo(46);
        }

        @Test
        void a_refusal_becomes_text_with_stop_reason_refusal() {
            JsonObject completion = new JsonObject("""
                    {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
                     "message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
                     "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":7,
                     "total_tokens":12}}""");

            Message message = Sdk.anthropic(Translation.chatResponseToMessages(completion, "m").encode(),
                    Message.class).validate();

            assertThat(message.stopReason()).contains(StopReason.REFUSAL);
            assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("I can't help with that.");
            assertThat(message.usage().inputTokens()).isEqualTo(5);
        }

        @Test
        void arguments_cut_off_at_the_token_limit_become_an_empty_input() {
            JsonObject completion = new JsonObject(COMPLETION);
            JsonObject choice = completion.getJsonArray("choices").getJsonObject(0).put("finish_reason", "length");
            choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
                    .put("arguments", "{\"city\":\"Par");

            Message message = Sdk.anthropic(Translation.chatResponseToMessages(completion, "m").encode(),
                    Message.class).validate();

            assertThat(message.stopReason()).contains(StopReason.MAX_TOKENS);
            assertThat(message.content().get(1).toolUse().orElseThrow()._input().convert(Map.class)).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"stop,end_turn", "length,max_tokens", "tool_calls,tool_use", "content_filter,refusal",
                "function_call,tool_use"})
        void maps_finish_reasons_to_stop_reasons(String finishReason, String stopReason) {
            JsonObject completion = new JsonObject(COMPLETION);
            completion.getJsonArray("choices").getJsonObject(0).put("finish_reason", finishReason);

            Message message = Sdk.anthropic(Translation.chatResponseToMessages(completion, "m").encode(),
                    Message.class).validate();

            assertThat(message.stopReason().orElseThrow().asString()).isEqualTo(stopReason);
        }
    }

    @Nested
    class Usage {

        @Test
        void openai_prompt_tokens_already_include_the_cached_ones() {
            assertThat(Translation.usageOfChat(new JsonObject(COMPLETION).getJsonObject("usage")))
                    .isEqualTo(new TokenUsage(1117, 46, 1024, false));
            assertThat(Translation.usageOfChat(new JsonObject("{\"prompt_tokens\":3,\"completion_tokens\":4}")))
                    .isEqualTo(new TokenUsage(3, 4, 0, false));
        }

        @Test
        void anthropic_input_tokens_get_the_cache_reads_and_writes_added() {
            assertThat(Translation.usageOfMessages(new JsonObject(MESSAGE).getJsonObject("usage")))
                    .isEqualTo(new TokenUsage(165, 6, 100, false));
        }

        @Test
        void no_usage_is_null() {
            assertThat(Translation.usageOfChat(null)).isNull();
            assertThat(Translation.usageOfMessages(null)).isNull();
        }
    }

    @Nested
    class Errors {

        @ParameterizedTest
        @CsvSource({"400,invalid_request_error,invalid_request_error,", "401,authentication_error,"
                + "invalid_request_error,invalid_api_key", "429,rate_limit_error,requests,rate_limit_exceeded",
                "529,overloaded_error,server_error,overloaded", "500,api_error,server_error,"})
        void anthropic_errors_become_openai_errors(int status, String anthropicType, String type, String code) {
            JsonObject error = Translation.messagesError(anthropicType, "Something about " + anthropicType)
                    .put("request_id", "req_1");

            JsonObject out = Translation.errorToChat(status, error);

            ErrorObject parsed = Sdk.openAi(out.getJsonObject("error").encode(), ErrorObject.class).validate();
            assertThat(parsed.message()).isEqualTo("Something about " + anthropicType);
            assertThat(parsed.type()).isEqualTo(type);
            assertThat(parsed.code().orElse(null)).isEqualTo(code);
        }

        @ParameterizedTest
        @CsvSource({"400,invalid_request_error", "401,authentication_error", "402,billing_error",
                "403,permission_error", "404,not_found_error", "429,rate_limit_error", "500,api_error",
                "503,overloaded_error", "504,timeout_error"})
        void openai_errors_become_anthropic_errors_typed_by_status(int status, String type) {
            JsonObject error = OpenAiErrors.body("Upstream says no", "invalid_request_error", null);

            JsonObject out = Translation.errorToMessages(status, error);

            ErrorResponse parsed = Sdk.anthropic(out.encode(), ErrorResponse.class).validate();
            assertThat(out.getJsonObject("error").getString("type")).isEqualTo(type);
            assertThat(out.getJsonObject("error").getString("message")).isEqualTo("Upstream says no");
            assertThat(parsed.error().isValid()).isTrue();
        }

        @Test
        void an_unreadable_error_body_gets_a_generic_message() {
            assertThat(Translation.errorToChat(502, null).getJsonObject("error").getString("message"))
                    .isEqualTo("The upstream provider answered HTTP 502.");
            assertThat(Translation.errorToChat(502, new JsonObject().put("error", "text")).getJsonObject("error")
                    .getString("type")).isEqualTo("server_error");
            assertThat(Translation.errorToMessages(404, new JsonObject()).getJsonObject("error"))
                    .isEqualTo(new JsonObject().put("type", "not_found_error").put("message",
                            "The upstream provider answered HTTP 404."));
        }

        @Test
        void an_untranslatable_request_is_a_400_body_in_either_format() {
            Untranslatable refused = new Untranslatable("n", "Anthropic models generate one choice per request.");

            ErrorObject openAi = Sdk.openAi(Translation.untranslatableToChat(refused).getJsonObject("error").encode(),
                    ErrorObject.class).validate();
            assertThat(openAi.param()).contains("n");
            assertThat(openAi.type()).isEqualTo("invalid_request_error");
            JsonObject anthropic = Translation.untranslatableToMessages(refused);
            Sdk.anthropic(anthropic.encode(), ErrorResponse.class).validate();
            assertThat(anthropic.getJsonObject("error").getString("message"))
                    .isEqualTo("n: Anthropic models generate one choice per request.");
        }
    }
}
