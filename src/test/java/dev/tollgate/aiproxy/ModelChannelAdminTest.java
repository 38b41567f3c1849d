package dev.tollgate.aiproxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /api/v1/admin/models/{id}/channels/health} and {@code POST /api/v1/admin/models/{id}/test} over HTTP,
 * with local fake vendors as the channels.
 */
@QuarkusTest
class ModelChannelAdminTest {

    private static final String BASE = "/api/v1/admin/models/";

    FakeOpenAi openAi;
    FakeAnthropic anthropic;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini", "text-embedding-3-small");
        anthropic = new FakeAnthropic(AiFixtures.UPSTREAM_KEY_ANTHROPIC, "claude-haiku-4-5");
    }

    @AfterEach
    void stop() {
        openAi.close();
        anthropic.close();
    }

    /** Creates a model with these channels (and type); returns its id. */
    @SafeVarargs
    private static String model(String type, Map<String, Object>... channels) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", Api.uniqueName("probe"));
        if (type != null) {
            body.put("model_type", type);
        }
        body.put("pricing", Map.of("input_per_million", 3, "output_per_million", 15));
        body.put("channels", new ArrayList<>(List.of(channels)));
        return Api.admin().as().body(body).post("/api/v1/admin/models").then().statusCode(201).extract().path("id");
    }

    private static void assertNoKey(String body) {
        assertThat(body).doesNotContain(AiFixtures.UPSTREAM_KEY_OPENAI)
                .doesNotContain(AiFixtures.UPSTREAM_KEY_ANTHROPIC)
                .doesNotContain("api_key\"");
    }

    @Test
    void health_lists_each_channel_in_preference_order_with_its_circuit_and_never_its_key() {
        String id = model(null, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 1),
                AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0));
        Api.User admin = Api.admin();

        String body = admin.as().get(BASE + id + "/channels/health").then().statusCode(200).extract().asString();
        assertNoKey(body);
        JsonPath json = JsonPath.from(body);
        assertThat(json.getList("provider", String.class)).containsExactly("anthropic", "openai");
        assertThat(json.getList("base_url", String.class)).containsExactly(anthropic.baseUrl(), openAi.v1Url());
        assertThat(json.getList("upstream_model", String.class)).containsExactly("claude-haiku-4-5", "gpt-4o-mini");
        assertThat(json.getList("priority", Integer.class)).containsExactly(0, 1);
        assertThat(json.getList("state", String.class)).containsExactly("closed", "closed");
        assertThat(json.getMap("[0]")).containsOnlyKeys("channel_id", "provider", "base_url", "upstream_model",
                "priority", "weight", "state", "consecutive_failures", "last_error", "last_error_at",
                "last_latency_ms", "opened_at", "calls", "failures")
                .containsEntry("last_latency_ms", null).containsEntry("calls", 0).containsEntry("last_error", null);
    }

    @Test
    void failing_tests_open_the_circuit_and_a_successful_test_closes_it() {
        String id = model(null, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User admin = Api.admin();
        openAi.always(Reply.failing(503));
        for (int i = 0; i < 5; i++) {
            admin.as().post(BASE + id + "/test").then().statusCode(200).body("results[0].ok", equalTo(false))
                    .body("results[0].status", equalTo(503))
                    .body("results[0].error", containsString("the provider answered 503"));
        }
        admin.as().get(BASE + id + "/channels/health").then().statusCode(200).body("[0].state", equalTo("open"))
                .body("[0].consecutive_failures", equalTo(5)).body("[0].failures", equalTo(5))
                .body("[0].calls", equalTo(5)).body("[0].last_error", equalTo("the provider answered 503"))
                .body("[0].opened_at", org.hamcrest.Matchers.notNullValue());

        openAi.always(Reply.text("OK").tokens(12, 1));
        admin.as().post(BASE + id + "/test").then().statusCode(200).body("results[0].ok", equalTo(true));
        admin.as().get(BASE + id + "/channels/health").then().statusCode(200).body("[0].state", equalTo("closed"))
                .body("[0].consecutive_failures", equalTo(0)).body("[0].calls", equalTo(6))
                .body("[0].opened_at", nullValue());
    }

    @Test
    void a_test_calls_each_channel_in_its_own_protocol_with_the_default_prompt_and_reports_what_it_answered() {
        openAi.always(Reply.text("OK from OpenAI").tokens(11, 3));
        anthropic.always(Reply.text("OK from Claude").tokens(13, 4));
        String id = model(null, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0),
                AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 1));

        String body = Api.admin().as().post(BASE + id + "/test").then().statusCode(200).extract().asString();
        assertNoKey(body);
        JsonPath json = JsonPath.from(body);
        assertThat(json.getList("results.provider", String.class)).containsExactly("openai", "anthropic");
        assertThat(json.getList("results.ok", Boolean.class)).containsExactly(true, true);
        assertThat(json.getList("results.status", Integer.class)).containsExactly(200, 200);
        assertThat(json.getList("results.output", String.class)).containsExactly("OK from OpenAI", "OK from Claude");
        assertThat(json.getList("results.usage.input_tokens", Integer.class)).containsExactly(11, 13);
        assertThat(json.getList("results.usage.output_tokens", Integer.class)).containsExactly(3, 4);
        assertThat(json.getList("results.error")).containsExactly(null, null);
        assertThat(json.getList("results.latency_ms", Integer.class)).allSatisfy(ms -> assertThat(ms).isNotNegative());

        var toOpenAi = openAi.last();
        assertThat(toOpenAi.path()).isEqualTo("/v1/chat/completions");
        assertThat(toOpenAi.header("authorization")).isEqualTo("Bearer " + AiFixtures.UPSTREAM_KEY_OPENAI);
        assertThat(toOpenAi.body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(toOpenAi.body().path("messages").get(0).path("content").asText()).isEqualTo("Reply with OK.");
        assertThat(toOpenAi.body().path("max_completion_tokens").asInt()).isEqualTo(16);
        var toAnthropic = anthropic.last();
        assertThat(toAnthropic.path()).isEqualTo("/v1/messages");
        assertThat(toAnthropic.header("x-api-key")).isEqualTo(AiFixtures.UPSTREAM_KEY_ANTHROPIC);
        assertThat(toAnthropic.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(toAnthropic.body().path("max_tokens").asInt()).isEqualTo(16);
        assertThat(toAnthropic.body().path("messages").get(0).path("content").asText()).isEqualTo("Reply with OK.");
    }

    @Test
    void a_test_of_one_named_channel_with_a_prompt_calls_only_that_channel() {
        String id = model(null, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0),
                AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 1));
        Api.User admin = Api.admin();
        String anthropicChannel = admin.as().get(BASE + id).then().statusCode(200).extract()
                .path("channels.find { it.provider == 'anthropic' }.id");

        admin.as().body(Map.of("channel_id", anthropicChannel, "prompt", "Say pong.")).post(BASE + id + "/test")
                .then().statusCode(200).body("results.size()", equalTo(1))
                .body("results[0].channel_id", equalTo(anthropicChannel)).body("results[0].ok", equalTo(true));
        assertThat(openAi.calls()).isZero();
        assertThat(anthropic.last().body().path("messages").get(0).path("content").asText()).isEqualTo("Say pong.");
    }

    @Test
    void an_embedding_model_is_tested_with_one_embedding() {
        String id = model("embedding", AiFixtures.openAiChannel(openAi, "text-embedding-3-small", 0));
        Api.admin().as().post(BASE + id + "/test").then().statusCode(200).body("results[0].ok", equalTo(true))
                .body("results[0].output", equalTo("an embedding of 8 dimensions"))
                .body("results[0].usage.input_tokens", equalTo(10));
        assertThat(openAi.last().path()).isEqualTo("/v1/embeddings");
        assertThat(openAi.last().body().path("input").asText()).isEqualTo("Reply with OK.");
    }

    @Test
    void failures_are_reported_per_channel_without_the_key_even_when_the_provider_echoes_it() {
        openAi.always(Reply.failing(401, "invalid_request_error",
                "Incorrect API key provided: " + AiFixtures.UPSTREAM_KEY_OPENAI + "."));
        anthropic.always(Reply.hanging());
        String id = model(null, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0),
                AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 1),
                AiFixtures.channel("openai_compatible", "http://127.0.0.1:9/v1", null, "llama", 2));

        String body = Api.admin().as().post(BASE + id + "/test").then().statusCode(200).extract().asString();
        assertNoKey(body);
        JsonPath json = JsonPath.from(body);
        assertThat(json.getList("results.ok", Boolean.class)).containsExactly(false, false, false);
        assertThat(json.getString("results[0].error")).isEqualTo(
                "the provider answered 401: Incorrect API key provided: ***.");
        assertThat(json.getInt("results[0].status")).isEqualTo(401);
        // the test profile's upstream timeout is 2 s
        assertThat(json.getString("results[1].error")).isEqualTo("no answer within 2000 ms");
        assertThat(json.getString("results[1].status")).isNull();
        assertThat(json.getString("results[2].error")).startsWith("could not connect");
        assertThat(json.getString("results[2].usage")).isNull();
    }

    @Test
    void bad_input_is_422_or_404_and_calls_nothing() {
        String id = model(null, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User admin = Api.admin();
        admin.as().body(Map.of("prompt", " ")).post(BASE + id + "/test").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("prompt"));
        admin.as().body(Map.of("prompt", "x".repeat(4001))).post(BASE + id + "/test").then().statusCode(422);
        admin.as().body(Map.of("channel_id", UUID.randomUUID().toString())).post(BASE + id + "/test").then()
                .statusCode(422).body("errors[0].field", equalTo("channel_id"));
        admin.as().body(Map.of("channel", "x")).post(BASE + id + "/test").then().statusCode(422);
        String unknown = BASE + UUID.randomUUID();
        admin.as().post(unknown + "/test").then().statusCode(404).contentType("application/problem+json");
        admin.as().get(unknown + "/channels/health").then().statusCode(404).contentType("application/problem+json");
        assertThat(openAi.calls()).isZero();
    }

    @Test
    void only_admins_may_see_health_or_send_tests() {
        String id = model(null, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User consumer = Api.registerConsumer();
        consumer.as().get(BASE + id + "/channels/health").then().statusCode(403)
                .contentType("application/problem+json");
        consumer.as().post(BASE + id + "/test").then().statusCode(403);
        given().contentType(ContentType.JSON).post(BASE + id + "/test").then().statusCode(401);
        given().get(BASE + id + "/channels/health").then().statusCode(401);
        assertThat(openAi.calls()).isZero();
    }
}
