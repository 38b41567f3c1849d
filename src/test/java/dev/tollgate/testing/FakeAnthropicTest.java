package dev.tollgate.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.testing.FakeLlmServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official Anthropic Java SDK, pointed at {@link FakeAnthropic}, parses and validates everything it answers. */
class FakeAnthropicTest {

    private static final String KEY = "sk-ant-fake-test-key";

    private FakeAnthropic fake;
    private AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAnthropic(KEY);
        client = AnthropicOkHttpClient.builder().baseUrl(fake.baseUrl()).apiKey(KEY).maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    private static MessageCreateParams.Builder hello() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256).system("Be brief.")
                .addUserMessage("Say hello");
    }

    private static Tool weatherTool() {
        return Tool.builder().name("get_weather").inputSchema(
                Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
    }

    @Nested
    class Messages {

        @Test
        void answers_the_scripted_text_with_usage_and_records_the_request() {
            fake.always(Reply.text("Hello there, friend.").tokens(25, 6).cached(100).cacheCreation(40));

            Message message = client.messages().create(hello().build()).validate();

            assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5");
            assertThat(message.content()).singleElement()
                    .satisfies(
                            block -> assertThat(block.text().orElseThrow().text()).isEqualTo("Hello there, friend."));
            assertThat(message.stopReason()).contains(StopReason.END_TURN);
            assertThat(message.usage().inputTokens()).isEqualTo(25);
            assertThat(message.usage().outputTokens()).isEqualTo(6);
            assertThat(message.usage().cacheReadInputTokens()).contains(100L);
            assertThat(message.usage().cacheCreationInputTokens()).contains(40L);
            FakeLlmServer.Received request = fake.last();
            assertThat(request.path()).isEqualTo("/v1/messages");
            // anthropic-java 3.16.0 sends even an apiKey(...) as "Authorization: Bearer" (and a dated version);
            // the x-api-key header is proven by the raw requests below
            assertThat(request.header("authorization")).isEqualTo("Bearer " + KEY);
            assertThat(request.header("anthropic-version")).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(request.body().path("system").asText()).isEqualTo("Be brief.");
            assertThat(request.body().path("max_tokens").asLong()).isEqualTo(256);
        }

        @Test
        void accepts_the_key_as_a_bearer_auth_token() {
            AnthropicClient bearer = AnthropicOkHttpClient.builder().baseUrl(fake.baseUrl()).authToken(KEY)
                    .maxRetries(0).build();

            assertThat(bearer.messages().create(hello().build()).validate().content()).hasSize(1);
            assertThat(fake.last().header("authorization")).isEqualTo("Bearer " + KEY);
            assertThat(fake.last().header("x-api-key")).isNull();
            bearer.close();
        }

        @Test
        void answers_text_then_a_tool_use_block() {
            fake.always(Reply.text("Let me check.").withToolCall("toolu_01A", "get_weather", "{\"city\":\"Paris\"}"));

            Message message = client.messages().create(hello().addTool(weatherTool()).build()).validate();

            assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
            assertThat(message.content()).hasSize(2);
            assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("Let me check.");
            ToolUseBlock toolUse = message.content().get(1).toolUse().orElseThrow();
            assertThat(toolUse.id()).isEqualTo("toolu_01A");
            assertThat(toolUse.name()).isEqualTo("get_weather");
            assertThat(toolUse._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
            assertThat(fake.last().body().path("tools").get(0).path("name").asText()).isEqualTo("get_weather");
        }

        @Test
        void streams_the_event_sequence_the_sdk_accumulates_into_a_message() {
            fake.always(Reply.text("One two three").tokens(12, 3).cached(7));
            MessageAccumulator accumulator = MessageAccumulator.create();
            List<String> types = new ArrayList<>();

            try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                    .createStreaming(hello().build())) {
                stream.stream().forEach(event -> {
                    accumulator.accumulate(event);
                    types.add(type(event));
                });
            }

            assertThat(types).containsExactly("message_start", "content_block_start", "content_block_delta",
                    "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
                    "message_stop");
            Message message = accumulator.message().validate();
            assertThat(message.content().get(0).text().orElseThrow().text()).isEqualTo("One two three");
            assertThat(message.stopReason()).contains(StopReason.END_TURN);
            assertThat(message.usage().inputTokens()).isEqualTo(12);
            assertThat(message.usage().outputTokens()).isEqualTo(3);
            assertThat(message.usage().cacheReadInputTokens()).contains(7L);
        }

        @Test
        void streams_a_tool_use_as_input_json_deltas() {
            String arguments = "{\"city\":\"Paris\",\"days\":3}";
            fake.always(Reply.toolCall("toolu_02B", "get_weather", arguments).tokens(40, 20));
            MessageAccumulator accumulator = MessageAccumulator.create();
            List<String> partials = new ArrayList<>();

            try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                    .createStreaming(hello().addTool(weatherTool()).build())) {
                stream.stream().forEach(event -> {
                    accumulator.accumulate(event);
                    event.contentBlockDelta().flatMap(d -> d.delta().inputJson())
                            .ifPresent(json -> partials.add(json.partialJson()));
                });
            }

            assertThat(partials).hasSizeGreaterThan(1);
            assertThat(String.join("", partials)).isEqualTo(arguments);
            Message message = accumulator.message().validate();
            assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
            ToolUseBlock toolUse = message.content().get(0).toolUse().orElseThrow();
            assertThat(toolUse.id()).isEqualTo("toolu_02B");
            assertThat(toolUse._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris", "days", 3));
            assertThat(message.usage().outputTokens()).isEqualTo(20);
        }

        @Test
        void accepts_x_api_key_and_names_every_event_with_a_ping_after_the_first_block_start() throws Exception {
            fake.always(Reply.text("Hi"));
            HttpResponse<String> response = raw("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", true);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
            assertThat(fake.last().header("x-api-key")).isEqualTo(KEY);
            List<String> lines = response.body().lines().toList();

            List<String> events = lines.stream().filter(l -> l.startsWith("event: "))
                    .map(l -> l.substring("event: ".length())).toList();
            assertThat(events).containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
                    "content_block_stop", "message_delta", "message_stop");
            assertThat(lines.stream().filter(l -> l.startsWith("data: ")).count()).isEqualTo(events.size());
            String messageDelta = lines.get(lines.indexOf("event: message_delta") + 1).substring("data: ".length());
            assertThat(new ObjectMapper().readTree(messageDelta).path("usage").path("output_tokens").asLong())
                    .isEqualTo(5);
        }

        private static String type(RawMessageStreamEvent event) {
            return event.isMessageStart()
                    ? "message_start"
                    : event.isContentBlockStart()
                            ? "content_block_start"
                            : event.isContentBlockDelta()
                                    ? "content_block_delta"
                                    : event.isContentBlockStop()
                                            ? "content_block_stop"
                                            : event.isMessageDelta() ? "message_delta" : "message_stop";
        }
    }

    @Nested
    class Failures {

        @Test
        void a_wrong_key_is_an_authentication_error() {
            AnthropicClient wrong = AnthropicOkHttpClient.builder().baseUrl(fake.baseUrl()).apiKey("sk-ant-wrong")
                    .maxRetries(0).build();

            assertThatThrownBy(() -> wrong.messages().create(hello().build()))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                        assertThat(e.errorType().orElseThrow().asString()).isEqualTo("authentication_error");
                        assertThat(e.requestId()).isPresent();
                    });
            wrong.close();
        }

        @Test
        void a_missing_version_header_is_an_invalid_request() throws Exception {
            HttpResponse<String> response = raw("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", false);

            assertThat(response.statusCode()).isEqualTo(400);
            var body = new ObjectMapper().readTree(response.body());
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(body.path("error").path("message").asText()).contains("anthropic-version");
        }

        @Test
        void an_unknown_model_is_not_found() {
            assertThatThrownBy(() -> client.messages().create(hello().model("claude-nope").build()))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.errorType().orElseThrow().asString()).isEqualTo("not_found_error"));
        }

        @Test
        void scripted_overload_and_rate_limit_map_to_the_sdk_exceptions() {
            fake.next(Reply.failing(529));
            fake.next(Reply.failing(429));

            assertThatThrownBy(() -> client.messages().create(hello().build()))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(529);
                        assertThat(e.errorType().orElseThrow().asString()).isEqualTo("overloaded_error");
                        assertThat(e.apiMessage()).contains("Overloaded");
                    });
            assertThatThrownBy(() -> client.messages().create(hello().build()))
                    .isInstanceOfSatisfying(RateLimitException.class,
                            e -> assertThat(e.errorType().orElseThrow().asString()).isEqualTo("rate_limit_error"));
            assertThat(fake.calls()).isEqualTo(2);
        }

        @Test
        void the_sdk_retries_an_overload_and_the_fake_counts_each_attempt() {
            AnthropicClient retrying = AnthropicOkHttpClient.builder().baseUrl(fake.baseUrl()).apiKey(KEY)
                    .maxRetries(1).build();
            fake.next(Reply.failing(529));

            assertThat(retrying.messages().create(hello().build()).validate().content()).hasSize(1);
            assertThat(fake.calls()).isEqualTo(2);
            retrying.close();
        }

        @Test
        void a_connection_closed_mid_stream_fails_the_stream_after_the_events_sent() {
            fake.always(Reply.closingAfter(3, "one two three"));
            List<RawMessageStreamEvent> events = new ArrayList<>();

            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(hello().build())) {
                assertThatThrownBy(() -> stream.stream().forEach(events::add)).isInstanceOf(RuntimeException.class)
                        .isNotInstanceOf(AnthropicServiceException.class);
            }
            // message_start, content_block_start (the ping is not an SDK event)
            assertThat(events).hasSize(2);
        }

        @Test
        void a_paused_stream_has_already_delivered_its_first_events() throws Exception {
            fake.always(Reply.text("alpha beta"));
            fake.pauseAfter(3);

            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(hello().build())) {
                Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
                assertThat(events.next().isMessageStart()).isTrue();
                assertThat(events.next().isContentBlockStart()).isTrue();
                assertThat(fake.awaitPaused()).isTrue();
                fake.resume();
                assertThat(events.next().contentBlockDelta().orElseThrow().delta().text().orElseThrow().text())
                        .isEqualTo("alpha");
            }
        }
    }

    private HttpResponse<String> raw(String json, boolean withVersion) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/messages"))
                .header("x-api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (withVersion) {
            request.header("anthropic-version", "2023-06-01");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
