package dev.tollgate.aiproxy;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Seed 004's {@code POST /api/v1/ai/predict}, routed, translated and billed like any AI call. */
@QuarkusTest
class AiPredictTest {

    /** An upstream model name no other test's channels use, so that vendor:model names only this test's model. */
    static final String UPSTREAM_CLAUDE = "claude-predict-" + java.util.UUID.randomUUID();

    FakeOpenAi openAi;
    FakeAnthropic anthropic;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini");
        anthropic = new FakeAnthropic(AiFixtures.UPSTREAM_KEY_ANTHROPIC, UPSTREAM_CLAUDE);
    }

    @AfterEach
    void stop() {
        openAi.close();
        anthropic.close();
    }

    @Test
    void a_prompt_is_answered_in_predict_shape_and_billed() throws Exception {
        openAi.always(Reply.text("Paris.").tokens(12, 2));
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = AiFixtures.consumer("1");

        given().header("X-API-Key", consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model_id", model, "input_data", Map.of("prompt", "Capital of France?"), "parameters",
                        Map.of("temperature", 0.1, "max_tokens", 20)))
                .post("/api/v1/ai/predict").then().statusCode(200).body("model_id", equalTo(model))
                .body("output", equalTo("Paris.")).body("metadata.provider", equalTo("openai"))
                .body("metadata.usage.input_tokens", equalTo(12)).body("metadata.usage.output_tokens", equalTo(2))
                .body("metadata.finish_reason", equalTo("stop"));

        var sent = openAi.last().body();
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Capital of France?");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(20);
        // 12 × 3 + 2 × 15 = 66 micros
        assertThat(ChargeLines.await(consumer.user(), 1).amount()).isEqualByComparingTo("-0.000066");
    }

    @Test
    void vendor_colon_model_picks_the_channels_of_that_vendor_and_model() {
        anthropic.always(Reply.text("Bonjour").tokens(5, 1));
        openAi.always(Reply.text("never"));
        String model = AiFixtures.model("mixed", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0),
                AiFixtures.anthropicChannel(anthropic, UPSTREAM_CLAUDE, 1));
        AiFixtures.Consumer consumer = AiFixtures.consumer("1");

        given().header("Authorization", "Bearer " + consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model_id", "anthropic:" + UPSTREAM_CLAUDE, "input_data",
                        Map.of("messages", List.of(Map.of("role", "user", "content", "Say hello in French")))))
                .post("/api/v1/ai/predict").then().statusCode(200).body("model_id", equalTo(model))
                .body("output", equalTo("Bonjour")).body("metadata.provider", equalTo("anthropic"));
        assertThat(openAi.calls()).isZero();
        assertThat(anthropic.last().body().path("messages").get(0).path("content").toString())
                .contains("Say hello in French");
    }

    @Test
    void bad_predictions_get_problems_and_cost_nothing() {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = AiFixtures.consumer("1");
        given().header("X-API-Key", consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model_id", "nobody:nothing", "input_data", Map.of("prompt", "x")))
                .post("/api/v1/ai/predict").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().header("X-API-Key", consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model_id", model, "input_data", Map.of()))
                .post("/api/v1/ai/predict").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("input_data"));
        given().header("X-API-Key", consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model_id", model, "input_data", Map.of("prompt", "x"), "parameters",
                        Map.of("temprature", 1)))
                .post("/api/v1/ai/predict").then().statusCode(422).body("detail", containsString("temprature"));
        given().header("X-API-Key", consumer.key()).contentType(ContentType.JSON)
                .body(Map.of("model_id", model, "input_data", Map.of("prompt", "x"), "parameters",
                        Map.of("max_tokens", "many")))
                .post("/api/v1/ai/predict").then().statusCode(422).body("detail", containsString("max_tokens"));
        given().contentType(ContentType.JSON).body(Map.of("model_id", model, "input_data", Map.of("prompt", "x")))
                .post("/api/v1/ai/predict").then().statusCode(401).contentType("application/problem+json");
        assertThat(openAi.calls()).isZero();
    }
}
