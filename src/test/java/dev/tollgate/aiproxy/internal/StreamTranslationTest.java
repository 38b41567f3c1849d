package dev.tollgate.aiproxy.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ErrorObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;

import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams translated event by event: upstream streams come from the local fakes (real wire shapes), are cut into
 * small byte chunks through {@link Sse.Parser}, translated, and the output is accumulated by the official SDKs' own
 * stream accumulators.
 */
class StreamTranslationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The events of a raw SSE body, parsed from chunks of 7 bytes so that events and UTF-8 split across chunks. */
    private static List<Sse.Event> events(String body) {
        Sse.Parser parser = new Sse.Parser();
        List<Sse.Event> events = new ArrayList<>();
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            events.addAll(parser.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i,
                    Math.min(bytes.length, i + 7)))));
        }
        events.addAll(parser.end());
        return events;
    }

    private static List<Sse.Event> translate(StreamTranslator translator, List<Sse.Event> upstream, boolean complete) {
        List<Sse.Event> out = new ArrayList<>();
        for (Sse.Event event : upstream) {
            out.addAll(translator.accept(event));
        }
        out.addAll(translator.end(complete));
        return out;
    }

    private static Sse.Event anthropic(String json) {
        JsonObject data = new JsonObject(json);
        return new Sse.Event(data.getString("type"), data.encode());
    }

    private static Sse.Event openAi(String json) {
        return Sse.Event.data(new JsonObject(json).encode());
    }

    /** OpenAI's SDK over translated chunks: every chunk parses, the last event is [DONE], nothing follows it. */
    private static ChatCompletion accumulateChat(List<Sse.Event> out) {
        assertThat(out).isNotEmpty();
        assertThat(out.get(out.size() - 1)).isEqualTo(Sse.Event.data("[DONE]"));
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        for (Sse.Event event : out.subList(0, out.size() - 1)) {
            assertThat(event.event()).as("OpenAI chunks have no event name").isNull();
            accumulator.accumulate(Sdk.openAi(event.data(), ChatCompletionChunk.class).validate());
        }
        return accumulator.chatCompletion().validate();
    }

    /** Anthropic's SDK over translated events: each named as its type, accumulated into a message. */
    private static Message accumulateMessage(List<Sse.Event> out) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        for (Sse.Event event : out) {
            assertThat(event.event()).isEqualTo(new JsonObject(event.data()).getString("type"));
            accumulator.accumulate(Sdk.anthropic(event.data(), RawMessageStreamEvent.class).validate());
        }
        return accumulator.message().validate();
    }

    private static List<String> names(List<Sse.Event> events) {
        return events.stream().map(Sse.Event::event).toList();
    }

    @Nested
    class AnthropicToOpenAi {

        private FakeAnthropic fake;

        @BeforeEach
        void start() throws Exception {
            fake = new FakeAnthropic("sk-ant-test");
        }

        @AfterEach
        void stop() {
            fake.close();
        }

        private List<Sse.Event> upstream(Reply reply) throws Exception {
            fake.always(reply);
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/messages"))
                            .header("x-api-key", "sk-ant-test").header("anthropic-version", "2023-06-01")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                                    {"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,
                                     "messages":[{"role":"user","content":"Hi"}]}""")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return events(response.body());
        }

        @Test
        void streams_text_with_the_role_first_the_finish_reason_and_a_usage_chunk_with_cached_tokens()
                throws Exception {
            StreamTranslator translator = Translation.messagesStreamToChat("claude-public", true, 1_700_000_000L);

            List<Sse.Event> out = translate(translator, upstream(Reply.text("Héllo there, friend ✓").tokens(12, 5)
                    .cached(30).cacheCreation(8)), true);

            ChatCompletion completion = accumulateChat(out);
            assertThat(completion.id()).startsWith("chatcmpl-");
            assertThat(completion.model()).isEqualTo("claude-public");
            assertThat(completion.choices().get(0).message().content()).contains("Héllo there, friend ✓");
            assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12 + 30 + 8);
            assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(5);
            assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens())
                    .contains(30L);
            assertThat(translator.usage()).isEqualTo(new TokenUsage(50, 5, 30, false));
            JsonObject first = new JsonObject(out.get(0).data());
            assertThat(first.getJsonArray("choices").getJsonObject(0).getJsonObject("delta"))
                    .isEqualTo(new JsonObject().put("role", "assistant").put("content", ""));
            JsonObject usageChunk = new JsonObject(out.get(out.size() - 2).data());
            assertThat(usageChunk.getJsonArray("choices")).isEmpty();
        }

        @Test
        void without_include_usage_there_is_no_usage_chunk_and_no_usage_field() throws Exception {
            List<Sse.Event> out = translate(Translation.messagesStreamToChat("m", false, 1L),
                    upstream(Reply.text("Hi")), true);

            accumulateChat(out);
            for (Sse.Event event : out.subList(0, out.size() - 1)) {
                JsonObject chunk = new JsonObject(event.data());
                assertThat(chunk.containsKey("usage")).isFalse();
                assertThat(chunk.getJsonArray("choices")).hasSize(1);
            }
        }

        @Test
        void streams_a_tool_use_split_over_many_deltas_as_tool_call_argument_fragments() throws Exception {
            String arguments = "{\"city\":\"Paris\",\"days\":3,\"units\":\"metric\"}";
            StreamTranslator translator = Translation.messagesStreamToChat("m", true, 1L);

            List<Sse.Event> out = translate(translator, upstream(Reply.text("Let me check.")
                    .withToolCall("toolu_02B", "get_weather", arguments).tokens(40, 20)), true);

            ChatCompletion completion = accumulateChat(out);
            ChatCompletion.Choice choice = completion.choices().get(0);
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            assertThat(choice.message().content()).contains("Let me check.");
            ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
            assertThat(call.id()).isEqualTo("toolu_02B");
            assertThat(call.function().name()).isEqualTo("get_weather");
            assertThat(call.function().arguments()).isEqualTo(arguments);
            long fragments = out.stream().filter(e -> e.data().contains("\"arguments\":\"")
                    && !e.data().contains("\"arguments\":\"\"")).count();
            assertThat(fragments).isGreaterThan(1);
        }

        @Test
        void numbers_several_tool_uses_in_the_order_they_start() {
            List<Sse.Event> upstream = List.of(
                    anthropic("""
                            {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",
                             "model":"claude","content":[],"stop_reason":null,"stop_sequence":null,
                             "usage":{"input_tokens":10,"output_tokens":1}}}"""),
                    anthropic("""
                            {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_a",
                             "name":"f","input":{}}}"""),
                    anthropic("{\"type\":\"ping\"}"),
                    anthropic(
                            """
                                    {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}"""),
                    anthropic(
                            """
                                    {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"x\\":"}}"""),
                    anthropic(
                            """
                                    {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"1}"}}"""),
                    anthropic("{\"type\":\"content_block_stop\",\"index\":0}"),
                    anthropic("""
                            {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_b",
                             "name":"g","input":{}}}"""),
                    anthropic(
                            """
                                    {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}"""),
                    anthropic("{\"type\":\"content_block_stop\",\"index\":1}"),
                    anthropic("""
                            {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
                             "usage":{"output_tokens":15}}"""),
                    anthropic("{\"type\":\"message_stop\"}"));

            List<Sse.Event> out = translate(Translation.messagesStreamToChat("m", false, 1L), upstream, true);

            List<com.openai.models.chat.completions.ChatCompletionMessageToolCall> calls = accumulateChat(out)
                    .choices().get(0).message().toolCalls().orElseThrow();
            assertThat(calls).hasSize(2);
            assertThat(calls.get(0).asFunction().id()).isEqualTo("toolu_a");
            assertThat(calls.get(0).asFunction().function().arguments()).isEqualTo("{\"x\":1}");
            assertThat(calls.get(1).asFunction().id()).isEqualTo("toolu_b");
            assertThat(calls.get(1).asFunction().function().name()).isEqualTo("g");
            assertThat(calls.get(1).asFunction().function().arguments()).isEqualTo("{}");
        }

        @Test
        void a_stream_that_breaks_off_ends_with_an_error_chunk_and_done() throws Exception {
            List<Sse.Event> upstream = upstream(Reply.text("One two three four"));
            StreamTranslator translator = Translation.messagesStreamToChat("m", true, 1L);
            List<Sse.Event> out = new ArrayList<>();
            for (Sse.Event event : upstream.subList(0, 4)) { // message_start, block start, ping, first delta
                out.addAll(translator.accept(event));
            }

            List<Sse.Event> closing = translator.end(false);

            assertThat(closing).hasSize(2);
            assertThat(closing.get(1)).isEqualTo(Sse.Event.data("[DONE]"));
            JsonObject error = new JsonObject(closing.get(0).data());
            ErrorObject parsed = Sdk.openAi(error.getJsonObject("error").encode(), ErrorObject.class).validate();
            assertThat(parsed.message()).contains("ended before the answer was complete");
            assertThat(translator.usage().inputTokens()).isEqualTo(10);
            assertThat(translator.end(false)).as("end is answered once").isEmpty();
            assertThat(translator.accept(upstream.get(4))).as("nothing after the end").isEmpty();
        }

        @Test
        void a_clean_close_without_message_stop_after_the_finish_still_ends_normally() throws Exception {
            List<Sse.Event> upstream = upstream(Reply.text("Hi"));
            StreamTranslator translator = Translation.messagesStreamToChat("m", true, 1L);

            List<Sse.Event> out = translate(translator, upstream.subList(0, upstream.size() - 1), true);

            assertThat(accumulateChat(out).usage()).isPresent();
        }

        @Test
        void an_error_event_becomes_an_openai_error_chunk() {
            StreamTranslator translator = Translation.messagesStreamToChat("m", false, 1L);
            translator.accept(anthropic(
                    """
                            {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"c",
                             "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}"""));

            List<Sse.Event> out = translator.accept(anthropic("""
                    {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));

            assertThat(out).hasSize(2);
            assertThat(new JsonObject(out.get(0).data())).isEqualTo(new JsonObject("""
                    {"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded"}}"""));
            assertThat(out.get(1).data()).isEqualTo("[DONE]");
            assertThat(translator.end(true)).isEmpty();
        }
    }

    @Nested
    class OpenAiToAnthropic {

        private FakeOpenAi fake;

        @BeforeEach
        void start() throws Exception {
            fake = new FakeOpenAi("sk-test");
        }

        @AfterEach
        void stop() {
            fake.close();
        }

        private List<Sse.Event> upstream(Reply reply) throws Exception {
            fake.always(reply);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fake.v1Url()
                    + "/chat/completions")).header("Authorization", "Bearer sk-test")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},
                             "messages":[{"role":"user","content":"Hi"}]}""")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return events(response.body());
        }

        @Test
        void streams_text_as_one_text_block_with_the_usage_in_message_delta() throws Exception {
            StreamTranslator translator = Translation.chatStreamToMessages("gpt-public");

            List<Sse.Event> out = translate(translator, upstream(Reply.text("One two three ✓").tokens(120, 3)
                    .cached(100)), true);

            assertThat(names(out)).containsExactly("message_start", "content_block_start", "content_block_delta",
                    "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                    "message_delta", "message_stop");
            Message message = accumulateMessage(out);
            assertThat(message.id()).startsWith("msg_");
            assertThat(message.model().asString()).isEqualTo("gpt-public");
            assertThat(message.content()).singleElement()
                    .satisfies(b -> assertThat(b.text().orElseThrow().text()).isEqualTo("One two three ✓"));
            assertThat(message.stopReason()).contains(StopReason.END_TURN);
            assertThat(message.usage().inputTokens()).isEqualTo(20);
            assertThat(message.usage().cacheReadInputTokens()).contains(100L);
            assertThat(message.usage().outputTokens()).isEqualTo(3);
            assertThat(translator.usage()).isEqualTo(new TokenUsage(120, 3, 100, false));
        }

        @Test
        void streams_text_then_a_tool_call_split_over_many_deltas_as_a_tool_use_block() throws Exception {
            String arguments = "{\"city\":\"Paris\",\"days\":3}";

            List<Sse.Event> out = translate(Translation.chatStreamToMessages("m"), upstream(
                    Reply.text("Checking.").withToolCall("call_9", "get_weather", arguments).tokens(40, 20)), true);

            Message message = accumulateMessage(out);
            assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
            assertThat(message.content()).hasSize(2);
            assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Checking.");
            ToolUseBlock toolUse = message.content().get(1).toolUse().orElseThrow();
            assertThat(toolUse.id()).isEqualTo("call_9");
            assertThat(toolUse.name()).isEqualTo("get_weather");
            assertThat(toolUse._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris", "days", 3));
            assertThat(out.stream().filter(e -> e.data().contains("input_json_delta")).count()).isGreaterThan(1);
        }

        @Test
        void parallel_tool_calls_become_consecutive_tool_use_blocks() {
            List<Sse.Event> upstream = List.of(
                    openAi("""
                            {"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gpt-4o",
                             "choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,
                             "id":"call_a","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}"""),
                    openAi("""
                            {"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gpt-4o",
                             "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]},
                             "finish_reason":null}]}"""),
                    openAi("""
                            {"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gpt-4o",
                             "choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function",
                             "function":{"name":"g","arguments":"{\\"b\\""}}]},"finish_reason":null}]}"""),
                    openAi("""
                            {"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gpt-4o",
                             "choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":":2}"}}]},
                             "finish_reason":null}]}"""),
                    openAi("""
                            {"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"gpt-4o",
                             "choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"""),
                    Sse.Event.data("[DONE]"));

            List<Sse.Event> out = translate(Translation.chatStreamToMessages("m"), upstream, true);

            Message message = accumulateMessage(out);
            assertThat(message.id()).isEqualTo("msg_7");
            assertThat(message.content()).hasSize(2);
            assertThat(message.content().get(0).toolUse().orElseThrow()._input().convert(Map.class))
                    .isEqualTo(Map.of("a", 1));
            assertThat(message.content().get(1).toolUse().orElseThrow().id()).isEqualTo("call_b");
            assertThat(message.content().get(1).toolUse().orElseThrow()._input().convert(Map.class))
                    .isEqualTo(Map.of("b", 2));
            assertThat(message.usage().outputTokens()).as("no usage chunk came").isZero();
        }

        @Test
        void a_stream_that_breaks_off_stops_the_open_block_and_ends_with_an_error_event() throws Exception {
            List<Sse.Event> upstream = upstream(Reply.text("One two three four"));
            StreamTranslator translator = Translation.chatStreamToMessages("m");
            List<Sse.Event> out = new ArrayList<>();
            for (Sse.Event event : upstream.subList(0, 3)) { // role chunk and two content pieces
                out.addAll(translator.accept(event));
            }

            List<Sse.Event> closing = translator.end(false);

            assertThat(names(out)).containsExactly("message_start", "content_block_start", "content_block_delta",
                    "content_block_delta");
            assertThat(names(closing)).containsExactly("content_block_stop", "error");
            JsonObject error = new JsonObject(closing.get(1).data());
            assertThat(error.getJsonObject("error").getString("type")).isEqualTo("api_error");
            Sdk.anthropic(error.encode(), com.anthropic.models.ErrorResponse.class).validate();
            assertThat(translator.end(false)).isEmpty();
        }

        @Test
        void a_finished_stream_without_done_closes_normally_at_its_end() throws Exception {
            List<Sse.Event> upstream = upstream(Reply.text("Hi").tokens(5, 1));
            assertThat(upstream.get(upstream.size() - 1).data()).isEqualTo("[DONE]");
            StreamTranslator translator = Translation.chatStreamToMessages("m");

            List<Sse.Event> out = translate(translator, upstream.subList(0, upstream.size() - 1), true);

            assertThat(names(out)).endsWith("content_block_stop", "message_delta", "message_stop");
            assertThat(accumulateMessage(out).usage().inputTokens()).isEqualTo(5);
        }

        @Test
        void an_error_chunk_becomes_an_error_event() {
            StreamTranslator translator = Translation.chatStreamToMessages("m");

            List<Sse.Event> out = translator.accept(openAi("""
                    {"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}"""));

            assertThat(names(out)).containsExactly("error");
            assertThat(new JsonObject(out.get(0).data())).isEqualTo(new JsonObject("""
                    {"type":"error","error":{"type":"api_error","message":"The server had an error"}}"""));
            assertThat(translator.end(true)).isEmpty();
        }

        @Test
        void interleaved_tool_call_arguments_fail_the_stream_instead_of_losing_them() {
            StreamTranslator translator = Translation.chatStreamToMessages("m");
            translator.accept(
                    openAi("""
                            {"id":"chatcmpl-8","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,
                             "delta":{"tool_calls":[{"index":0,"id":"call_a","function":{"name":"f","arguments":"{"}}]}}]}"""));
            translator.accept(
                    openAi("""
                            {"id":"chatcmpl-8","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,
                             "delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"g","arguments":"{"}}]}}]}"""));

            List<Sse.Event> out = translator.accept(
                    openAi("""
                            {"id":"chatcmpl-8","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,
                             "delta":{"tool_calls":[{"index":0,"function":{"arguments":"}"}}]}}]}"""));

            assertThat(names(out)).containsExactly("content_block_stop", "error");
            assertThat(translator.end(true)).isEmpty();
        }
    }
}
