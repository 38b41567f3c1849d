package dev.tollgate.aiproxy;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.openai.client.OpenAIClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;

import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each official SDK against a model served by the other vendor: the answers, streams and tool calls it gets are the
 * ones its own vendor would send, and the call is billed by the vendor's reported tokens.
 */
@QuarkusTest
class AiCrossFormatSdkTest {

    FakeOpenAi openAi;
    FakeAnthropic anthropic;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini");
        anthropic = new FakeAnthropic(AiFixtures.UPSTREAM_KEY_ANTHROPIC, "claude-haiku-4-5");
    }

    @AfterEach
    void stop() {
        openAi.close();
        anthropic.close();
    }

    private static ChatCompletionFunctionTool weather() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", com.openai.core.JsonValue
                        .from("object"))
                        .putAdditionalProperty("properties", com.openai.core.JsonValue
                                .from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build()).build();
    }

    @Test
    void the_openai_sdk_talks_to_a_claude_model_with_tools_and_streams() throws Exception {
        String model = AiFixtures.model("claude", AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0));
        AiFixtures.Consumer consumer = AiFixtures.consumer("1");
        OpenAIClient client = consumer.openAi();

        anthropic.always(Reply.toolCall("toolu_01", "get_weather", "{\"city\":\"Paris\"}").tokens(40, 12).cached(8));
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(model).addSystemMessage("Use tools.").addUserMessage("Weather in Paris?").addTool(weather())
                .build()).validate();
        var call = completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).contains("Paris");
        assertThat(completion.choices().get(0).finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(anthropic.last().body().path("system").toString()).contains("Use tools.");
        assertThat(anthropic.last().body().path("tools").get(0).path("input_schema").path("type").asText())
                .isEqualTo("object");

        anthropic.always(Reply.text("Sunny and mild in Paris").tokens(30, 6));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ChatCompletionCreateParams.builder().model(model).addUserMessage("And now?")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> accumulator.accumulate(chunk.validate()));
        }
        ChatCompletion streamed = accumulator.chatCompletion().validate();
        assertThat(streamed.choices().get(0).message().content()).contains("Sunny and mild in Paris");
        assertThat(streamed.usage().orElseThrow().promptTokens()).isEqualTo(30);
        assertThat(streamed.usage().orElseThrow().completionTokens()).isEqualTo(6);

        // Anthropic's input_tokens leave the 8 cached out: 40 × 3 + 8 × 1 + 12 × 15 = 308, then 30 × 3 + 6 × 15 = 180
        assertThat(ChargeLines.await(consumer.user(), 2).amount()).isEqualByComparingTo("-0.000488");
    }

    @Test
    void the_anthropic_sdk_talks_to_a_gpt_model_with_tools_and_streams() throws Exception {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = AiFixtures.consumer("1");
        AnthropicClient client = consumer.anthropic();

        openAi.always(Reply.toolCall("call_01", "get_weather", "{\"city\":\"Lyon\"}").tokens(50, 10));
        Tool tool = Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build();
        Message message = client.messages().create(MessageCreateParams.builder().model(model).maxTokens(300)
                .system("Use tools.").addUserMessage("Weather in Lyon?").addTool(tool).build()).validate();
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        var toolUse = message.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().asToolUse();
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(toolUse._input().toString()).contains("Lyon");
        assertThat(message.usage().inputTokens()).isEqualTo(50);
        assertThat(openAi.last().body().path("messages").get(0).path("role").asText()).isEqualTo("system");

        openAi.always(Reply.text("Cloudy in Lyon").tokens(20, 4));
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams
                .builder().model(model).maxTokens(100).addUserMessage("And now?").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message streamed = accumulator.message();
        assertThat(streamed.content().get(0).asText().text()).isEqualTo("Cloudy in Lyon");
        assertThat(streamed.usage().outputTokens()).isEqualTo(4);

        // 50 × 3 + 10 × 15 = 300, then 20 × 3 + 4 × 15 = 120: 420 micros
        assertThat(ChargeLines.await(consumer.user(), 2).amount()).isEqualByComparingTo("-0.00042");
    }
}
