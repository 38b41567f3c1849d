package dev.tollgate.aiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;

import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.tollgate.aiproxy.AiFixtures.anthropicChannel;
import static dev.tollgate.aiproxy.AiFixtures.consumer;
import static dev.tollgate.aiproxy.AiFixtures.micros;
import static dev.tollgate.aiproxy.AiFixtures.model;
import static dev.tollgate.aiproxy.AiFixtures.openAiChannel;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The AI proxy with the official SDKs as clients and local fake vendors as upstreams: calls passed through in the
 * caller's own format, billing by the reported tokens, failover before the first byte, no retry after it, the
 * circuit breaker, disconnects, and errors in the caller's format.
 */
@QuarkusTest
class AiProxyTest {

    @Inject
    TestClock clock;

    FakeOpenAi openAi;
    FakeOpenAi backup;
    FakeAnthropic anthropic;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini", "text-embedding-3-small");
        backup = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini");
        anthropic = new FakeAnthropic(AiFixtures.UPSTREAM_KEY_ANTHROPIC, "claude-haiku-4-5");
    }

    @AfterEach
    void stop() {
        clock.reset();
        openAi.close();
        backup.close();
        anthropic.close();
    }

    private static ChatCompletionCreateParams.Builder hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Hi");
    }

    private static MessageCreateParams.Builder helloMessage(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(256).system("Be brief.").addUserMessage("Hi");
    }

    /** The consumer's one AI charge line, once written. */
    private static Map<String, Object> chargeLine(AiFixtures.Consumer consumer) throws InterruptedException {
        ChargeLines.await(consumer.user(), 1);
        List<Map<String, Object>> lines = consumer.user().as().get("/api/v1/billing/transactions?type=charge").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    @Test
    void the_openai_sdk_gets_the_upstream_answer_and_pays_for_the_tokens_it_reports() throws Exception {
        openAi.always(Reply.text("Hello there").tokens(100, 20));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = consumer("1");

        {
            OpenAIClient client = consumer.openAi();
            ChatCompletion completion = client.chat().completions().create(hello(model).build()).validate();
            assertThat(completion.choices().get(0).message().content()).contains("Hello there");
            assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(100);
        }

        var received = openAi.last();
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + AiFixtures.UPSTREAM_KEY_OPENAI);
        assertThat(received.body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(received.body().path("max_completion_tokens").asInt()).isEqualTo(4096);
        assertThat(received.toString()).doesNotContain(consumer.key());

        // 100 input tokens at 3 micros + 20 output tokens at 15 micros = 600 micros
        Map<String, Object> line = chargeLine(consumer);
        assertThat(new java.math.BigDecimal(line.get("amount").toString())).isEqualByComparingTo("-0.0006");
        assertThat(line).containsEntry("model", model).containsEntry("input_tokens", 100)
                .containsEntry("output_tokens", 20);
        assertThat(consumer.balance()).isEqualByComparingTo(java.math.BigDecimal.ONE.subtract(micros(600)));
    }

    @Test
    void the_overhead_header_gives_tollgates_own_time_without_the_upstreams() {
        openAi.always(Reply.text("slow").tokens(5, 1).firstByteDelay(Duration.ofMillis(150)));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = consumer("1");
        for (boolean stream : new boolean[]{false, true}) {
            io.restassured.response.Response answer = given().header("Authorization", "Bearer " + consumer.key())
                    .contentType(ContentType.JSON).body(Map.of("model", model, "stream", stream, "messages",
                            List.of(Map.of("role", "user", "content", "Hi"))))
                    .post("/v1/chat/completions");
            answer.then().statusCode(200);
            double overhead = Double.parseDouble(answer.header("X-Tollgate-Overhead-Ms"));
            // the upstream took 150 ms before its first byte: the call took longer, Tollgate's own part far less
            assertThat(overhead).as("stream %s", stream).isGreaterThanOrEqualTo(0).isLessThan(100);
            assertThat(answer.time()).isGreaterThanOrEqualTo(150);
        }
        // a call that never reached a channel has no overhead to report
        given().header("Authorization", "Bearer " + consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model", "no-such-model", "messages", List.of(Map.of("role", "user", "content", "x"))))
                .post("/v1/chat/completions").then().statusCode(404)
                .header("X-Tollgate-Overhead-Ms", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void an_openai_stream_is_relayed_without_the_usage_chunk_it_did_not_ask_for_and_billed_from_it()
            throws Exception {
        openAi.always(Reply.text("One two three four").tokens(9, 4));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = consumer("1");
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

        OpenAIClient client = consumer.openAi();
        try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(hello(model).build())) {
            stream.stream().forEach(chunk -> chunks.add(accumulator.accumulate(chunk.validate())));
        }

        assertThat(accumulator.chatCompletion().choices().get(0).message().content()).contains("One two three four");
        assertThat(chunks).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(openAi.last().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        // 9 × 3 + 4 × 15 = 87 micros
        assertThat(new java.math.BigDecimal(chargeLine(consumer).get("amount").toString()))
                .isEqualByComparingTo("-0.000087");
    }

    @Test
    void the_anthropic_sdk_is_passed_through_with_cached_tokens_priced_as_cached() throws Exception {
        anthropic.always(Reply.text("Hi from Claude").tokens(50, 10).cached(20));
        String model = model("claude", anthropicChannel(anthropic, "claude-haiku-4-5", 0));
        AiFixtures.Consumer consumer = consumer("1");

        {
            AnthropicClient client = consumer.anthropic();
            Message message = client.messages().create(helloMessage(model).build()).validate();
            assertThat(message.content().get(0).asText().text()).contains("Hi from Claude");
        }
        var received = anthropic.last();
        assertThat(received.path()).isEqualTo("/v1/messages");
        assertThat(received.header("x-api-key")).isEqualTo(AiFixtures.UPSTREAM_KEY_ANTHROPIC);
        assertThat(received.header("anthropic-version")).isNotBlank();
        assertThat(received.body().path("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(received.body().path("max_tokens").asInt()).isEqualTo(256);
        // input 50 (uncached) × 3 + cached 20 × 1 + output 10 × 15 = 320 micros; the line counts all 70 input tokens
        Map<String, Object> line = chargeLine(consumer);
        assertThat(new java.math.BigDecimal(line.get("amount").toString())).isEqualByComparingTo("-0.00032");
        assertThat(line).containsEntry("input_tokens", 70).containsEntry("output_tokens", 10);
    }

    @Test
    void an_anthropic_stream_is_relayed_event_by_event() throws Exception {
        anthropic.always(Reply.text("Streaming from Claude now").tokens(12, 6));
        String model = model("claude", anthropicChannel(anthropic, "claude-haiku-4-5", 0));
        AiFixtures.Consumer consumer = consumer("1");
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<String> types = new ArrayList<>();

        AnthropicClient client = consumer.anthropic();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                .createStreaming(helloMessage(model).build())) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                types.add(event.isMessageStart() ? "start" : event.isMessageStop() ? "stop" : "other");
            });
        }
        assertThat(accumulator.message().content().get(0).asText().text()).isEqualTo("Streaming from Claude now");
        assertThat(types.get(0)).isEqualTo("start");
        assertThat(types.get(types.size() - 1)).isEqualTo("stop");
        // 12 × 3 + 6 × 15 = 126 micros
        assertThat(new java.math.BigDecimal(chargeLine(consumer).get("amount").toString()))
                .isEqualByComparingTo("-0.000126");
    }

    @Test
    void embeddings_are_passed_through_and_billed_for_their_input_tokens() throws Exception {
        String model = model("embed", openAiChannel(openAi, "text-embedding-3-small", 0));
        AiFixtures.Consumer consumer = consumer("1");
        {
            OpenAIClient client = consumer.openAi();
            CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder()
                    .model(model).input("The quick brown fox").build()).validate();
            assertThat(embeddings.data()).hasSize(1);
            long tokens = embeddings.usage().promptTokens();
            Map<String, Object> line = chargeLine(consumer);
            assertThat(new java.math.BigDecimal(line.get("amount").toString()))
                    .isEqualByComparingTo(micros(tokens * 3).negate());
        }
        assertThat(openAi.last().path()).isEqualTo("/v1/embeddings");
    }

    @Test
    void a_failing_channel_is_left_for_the_next_before_the_first_byte_and_the_call_is_charged_once()
            throws Exception {
        openAi.always(Reply.failing(503));
        backup.always(Reply.text("From the backup").tokens(10, 5));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0),
                openAiChannel(backup, "gpt-4o-mini", 1));
        AiFixtures.Consumer consumer = consumer("1");

        {
            OpenAIClient client = consumer.openAi();
            assertThat(client.chat().completions().create(hello(model).build()).choices().get(0).message().content())
                    .contains("From the backup");
        }
        assertThat(openAi.calls()).isEqualTo(1);
        assertThat(backup.calls()).isEqualTo(1);
        assertThat(new java.math.BigDecimal(chargeLine(consumer).get("amount").toString()))
                .isEqualByComparingTo("-0.000105");
    }

    @Test
    void a_channel_that_does_not_answer_in_time_is_left_for_the_next() throws Exception {
        openAi.always(Reply.hanging());
        backup.always(Reply.text("On time"));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0),
                openAiChannel(backup, "gpt-4o-mini", 1));
        AiFixtures.Consumer consumer = consumer("1");
        {
            OpenAIClient client = consumer.openAi();
            assertThat(client.chat().completions().create(hello(model).build()).choices().get(0).message().content())
                    .contains("On time");
        }
        assertThat(openAi.calls()).isEqualTo(1);
    }

    @Test
    void when_every_channel_fails_the_caller_gets_502_in_its_own_format_and_pays_nothing() throws Exception {
        openAi.always(Reply.failing(500));
        backup.always(Reply.failing(429));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0),
                openAiChannel(backup, "gpt-4o-mini", 1));
        AiFixtures.Consumer consumer = consumer("1");
        given().header("Authorization", "Bearer " + consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "Hi"))))
                .post("/v1/chat/completions").then().statusCode(429).body("error.type", equalTo("rate_limit_error"));
        openAi.always(Reply.failing(500));
        backup.always(Reply.failing(502));
        given().header("x-api-key", consumer.key()).header("anthropic-version", "2023-06-01")
                .contentType(ContentType.JSON)
                .body(Map.of("model", model, "max_tokens", 10, "messages",
                        List.of(Map.of("role", "user", "content", "Hi"))))
                .post("/v1/messages").then().statusCode(502).body("type", equalTo("error"))
                .body("error.type", equalTo("api_error"));
        assertThat(consumer.balance()).isEqualByComparingTo("1");
        assertThat(ChargeLines.of(consumer.user()).lines()).isZero();
    }

    @Test
    void a_channel_failing_again_and_again_is_skipped_until_its_cool_down_ends() {
        openAi.always(Reply.failing(503));
        backup.always(Reply.text("Backup"));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0),
                openAiChannel(backup, "gpt-4o-mini", 1));
        AiFixtures.Consumer consumer = consumer("10");
        {
            OpenAIClient client = consumer.openAi();
            for (int i = 0; i < 5; i++) {
                client.chat().completions().create(hello(model).build());
            }
            assertThat(openAi.calls()).isEqualTo(5);
            client.chat().completions().create(hello(model).build());
            assertThat(openAi.calls()).as("open circuit: skipped").isEqualTo(5);

            clock.advance(Duration.ofSeconds(31));
            client.chat().completions().create(hello(model).build());
            assertThat(openAi.calls()).as("half-open: one trial, which fails").isEqualTo(6);
            client.chat().completions().create(hello(model).build());
            assertThat(openAi.calls()).as("open again").isEqualTo(6);

            openAi.always(Reply.text("Recovered"));
            clock.advance(Duration.ofSeconds(31));
            assertThat(client.chat().completions().create(hello(model).build()).choices().get(0).message().content())
                    .contains("Recovered");
            assertThat(client.chat().completions().create(hello(model).build()).choices().get(0).message().content())
                    .contains("Recovered");
            assertThat(openAi.calls()).as("closed again").isEqualTo(8);
        }
        String health = Api_admin().get("/api/v1/admin/models").asString();
        assertThat(health).doesNotContain(AiFixtures.UPSTREAM_KEY_OPENAI);
    }

    private static io.restassured.specification.RequestSpecification Api_admin() {
        return dev.tollgate.testing.Api.admin().as();
    }

    @Test
    void clients_that_leave_before_the_answer_do_not_open_the_channels_circuit() throws Exception {
        // found by bench/ai.sh: when a load generator stops, every call still waiting for the upstream is left by its
        // client; each of those counted as a failure of the channel, so the circuit opened on a healthy upstream
        openAi.always(Reply.hanging());
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = consumer("10");
        String json = new io.vertx.core.json.JsonObject().put("model", model).put("messages",
                new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().put("role", "user")
                        .put("content", "Hi")))
                .encode();
        int port = Integer.parseInt(AiFixtures.tollgate().substring(AiFixtures.tollgate().lastIndexOf(':') + 1));
        int left = 6; // more than tollgate.ai.breaker-failures (5)
        for (int i = 1; i <= left; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + consumer.key() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json)
                        .getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (openAi.calls() < i && System.nanoTime() < deadline) {
                    Thread.sleep(10); // until the call is at the upstream
                }
                assertThat(openAi.calls()).isEqualTo(i);
            }
        }
        // until Tollgate has recorded every call that was left (each one after its client went away)
        long deadline = System.nanoTime() + 10_000_000_000L;
        long recorded = 0;
        while (recorded < left && System.nanoTime() < deadline) {
            Thread.sleep(50);
            recorded = consumer.user().as().get("/api/v1/users/me/usage").then().statusCode(200).extract().jsonPath()
                    .getLong("calls");
        }
        assertThat(recorded).isEqualTo(left);

        openAi.always(Reply.text("Still here"));
        assertThat(consumer.openAi().chat().completions().create(hello(model).build()).choices().get(0).message()
                .content()).contains("Still here");
    }

    @Test
    void a_stream_that_breaks_off_is_not_retried_and_is_charged_for_what_was_generated() throws Exception {
        anthropic.always(Reply.closingAfter(4, "alpha beta gamma delta epsilon zeta eta theta").tokens(30, 99));
        backup.always(Reply.text("never"));
        String model = model("claude", anthropicChannel(anthropic, "claude-haiku-4-5", 0),
                openAiChannel(backup, "gpt-4o-mini", 1));
        AiFixtures.Consumer consumer = consumer("1");

        String body = given().header("x-api-key", consumer.key()).header("anthropic-version", "2023-06-01")
                .contentType(ContentType.JSON)
                .body(Map.of("model", model, "max_tokens", 100, "stream", true, "messages",
                        List.of(Map.of("role", "user", "content", "Count"))))
                .post("/v1/messages").then().statusCode(200).extract().asString();

        assertThat(body).contains("event: message_start").contains("event: error").doesNotContain("message_stop");
        assertThat(backup.calls()).isZero();
        Map<String, Object> line = chargeLine(consumer);
        // the input comes from message_start; the output is counted from the text that got out
        assertThat(line).containsEntry("input_tokens", 30);
        assertThat(((Number) line.get("output_tokens")).longValue()).isBetween(1L, 20L);
        assertThat(line.get("description").toString()).contains("estimated");
    }

    @Test
    void a_client_that_leaves_mid_stream_pays_for_what_was_generated_until_then() throws Exception {
        openAi.always(Reply.text("one two three four five six seven eight nine ten").tokens(40, 50));
        openAi.pauseAfter(4);
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = consumer("1");
        String json = new io.vertx.core.json.JsonObject().put("model", model).put("stream", true).put("messages",
                new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().put("role", "user")
                        .put("content", "Count to ten")))
                .encode();
        int port = Integer.parseInt(AiFixtures.tollgate().substring(AiFixtures.tollgate().lastIndexOf(':') + 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + consumer.key() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(openAi.awaitPaused()).isTrue();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (!seen.toString().contains(" two")) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        }
        // the upstream stays paused until Tollgate has seen the client go and charged the call
        Map<String, Object> line = chargeLine(consumer);
        openAi.resume();
        assertThat(line.get("description").toString()).contains("estimated");
        long output = ((Number) line.get("output_tokens")).longValue();
        assertThat(output).as("only what was generated before the client left").isBetween(1L, 10L);
    }

    @Test
    void an_upstream_refusal_of_the_call_reaches_the_caller_unchanged_and_costs_nothing() throws Exception {
        openAi.always(Reply.failing(400, "invalid_request_error", "messages[0].content is too long"));
        backup.always(Reply.text("never"));
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0),
                openAiChannel(backup, "gpt-4o-mini", 1));
        AiFixtures.Consumer consumer = consumer("1");
        given().header("Authorization", "Bearer " + consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "Hi"))))
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.message", containsString("too long"));
        assertThat(backup.calls()).isZero();
        assertThat(consumer.balance()).isEqualByComparingTo("1");
    }

    @Test
    void errors_of_tollgate_itself_are_in_the_callers_format() {
        String model = model("gpt", openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer poor = consumer("0.0001");
        Map<String, Object> chat = Map.of("model", model, "messages", List.of(Map.of("role", "user", "content",
                "Hi")));
        Map<String, Object> messages = Map.of("model", model, "max_tokens", 1000, "messages",
                List.of(Map.of("role", "user", "content", "Hi")));

        // no key
        given().contentType(ContentType.JSON).body(chat).post("/v1/chat/completions").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        given().contentType(ContentType.JSON).body(messages).post("/v1/messages").then().statusCode(401)
                .body("type", equalTo("error")).body("error.type", equalTo("authentication_error"));
        // unknown model
        given().header("X-API-Key", poor.key()).contentType(ContentType.JSON)
                .body(Map.of("model", "no-such-model", "messages", List.of(Map.of("role", "user", "content", "x"))))
                .post("/api/v1/chat/completions").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        given().header("x-api-key", poor.key()).contentType(ContentType.JSON)
                .body(Map.of("model", "no-such-model", "max_tokens", 5, "messages",
                        List.of(Map.of("role", "user", "content", "x"))))
                .post("/v1/messages").then().statusCode(404).body("error.type", equalTo("not_found_error"));
        // not enough credit for the worst case (1000 output tokens × 15 micros)
        given().header("x-api-key", poor.key()).contentType(ContentType.JSON).body(messages).post("/v1/messages")
                .then().statusCode(402).body("error.type", equalTo("billing_error"));
        given().header("X-API-Key", poor.key()).contentType(ContentType.JSON).body(chat)
                .post("/v1/chat/completions").then().statusCode(402).body("error.type", equalTo("insufficient_quota"));
        // bad bodies
        given().header("X-API-Key", poor.key()).contentType(ContentType.JSON).body("{not json")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        given().header("X-API-Key", poor.key()).contentType(ContentType.JSON).body(Map.of("model", model))
                .post("/v1/chat/completions").then().statusCode(400).body("error.message", containsString("messages"));
        given().header("x-api-key", poor.key()).contentType(ContentType.JSON)
                .body(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "x"))))
                .post("/v1/messages").then().statusCode(400).body("error.message", containsString("max_tokens"));
        assertThat(openAi.calls()).isZero();
    }

    @Test
    void a_free_model_needs_no_credit() {
        openAi.always(Reply.text("free"));
        String name = dev.tollgate.testing.Api.uniqueName("free");
        dev.tollgate.testing.Api.admin().as().body(Map.of("name", name, "pricing",
                Map.of("input_per_million", 0, "output_per_million", 0), "channels",
                List.of(openAiChannel(openAi, "gpt-4o-mini", 0)))).post("/api/v1/admin/models").then()
                .statusCode(201);
        AiFixtures.Consumer consumer = consumer(null);
        JsonPath answer = given().header("X-API-Key", consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model", name, "messages", List.of(Map.of("role", "user", "content", "Hi"))))
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("choices[0].message.content")).contains("free");
    }
}
