package dev.tollgate.aiproxy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Seed 004's fine-tuning jobs, {@code POST /api/v1/ai/train} and {@code GET /api/v1/ai/train/{id}}, over HTTP. */
@QuarkusTest
class AiTrainingTest {

    private static final String TRAIN = "/api/v1/ai/train";

    @Inject
    AgroalDataSource database;

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

    private static Map<String, Object> job(String model, String trainingFile) {
        Map<String, Object> body = new HashMap<>();
        body.put("model_id", model);
        body.put("training_file", trainingFile);
        return body;
    }

    private static void assertNoKey(String body) {
        assertThat(body).doesNotContain(AiFixtures.UPSTREAM_KEY_OPENAI)
                .doesNotContain(AiFixtures.UPSTREAM_KEY_ANTHROPIC);
    }

    @Test
    void starts_a_job_at_the_first_channel_that_can_fine_tune_and_follows_it_to_its_end() {
        // Anthropic is preferred for calls but has no fine-tuning API: the OpenAI channel gets the job
        String model = AiFixtures.model("tune", AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0),
                AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 1));
        Api.User user = trainer();
        Map<String, Object> body = job(model, "file-abc123");
        body.put("validation_file", "file-val456");
        body.put("hyperparameters", Map.of("n_epochs", 3, "learning_rate_multiplier", "auto"));
        body.put("suffix", "support-bot");

        Response created = user.as().body(body).post(TRAIN);
        String text = created.then().statusCode(201).body("model_id", equalTo(model))
                .body("status", equalTo("validating_files")).body("upstream_job_id", startsWith("ftjob-"))
                .body("fine_tuned_model", nullValue()).extract().asString();
        assertNoKey(text);
        String id = created.path("id");
        created.then().header("Location", equalTo(TRAIN + "/" + id));
        assertThat(anthropic.calls()).isZero();
        var sent = openAi.last();
        assertThat(sent.path()).isEqualTo("/v1/fine_tuning/jobs");
        assertThat(sent.header("authorization")).isEqualTo("Bearer " + AiFixtures.UPSTREAM_KEY_OPENAI);
        assertThat(sent.body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.body().path("training_file").asText()).isEqualTo("file-abc123");
        assertThat(sent.body().path("validation_file").asText()).isEqualTo("file-val456");
        assertThat(sent.body().path("hyperparameters").path("n_epochs").asInt()).isEqualTo(3);
        assertThat(sent.body().path("hyperparameters").path("learning_rate_multiplier").asText()).isEqualTo("auto");
        assertThat(sent.body().path("suffix").asText()).isEqualTo("support-bot");

        user.as().get(TRAIN + "/" + id).then().statusCode(200).body("status", equalTo("running"))
                .body("fine_tuned_model", nullValue());
        user.as().get(TRAIN + "/" + id).then().statusCode(200).body("status", equalTo("succeeded"))
                .body("fine_tuned_model", startsWith("ft:gpt-4o-mini:org-fake:support-bot:"))
                .body("error", nullValue());
        int calls = openAi.calls();
        // an ended job is not asked about again
        Api.admin().as().get(TRAIN + "/" + id).then().statusCode(200).body("status", equalTo("succeeded"));
        assertThat(openAi.calls()).isEqualTo(calls);
    }

    @Test
    void a_job_the_provider_fails_reports_its_error() {
        String model = AiFixtures.model("tune", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = trainer();
        String id = user.as().body(job(model, "file-invalid9")).post(TRAIN).then().statusCode(201).extract()
                .path("id");
        user.as().get(TRAIN + "/" + id).then().statusCode(200).body("status", equalTo("failed"))
                .body("error", containsString("invalid training file")).body("fine_tuned_model", nullValue());
    }

    @Test
    void only_the_owner_and_admins_see_a_job() {
        String model = AiFixtures.model("tune", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User owner = trainer();
        String id = owner.as().body(job(model, "file-abc123")).post(TRAIN).then().statusCode(201).extract()
                .path("id");
        Api.registerConsumer().as().get(TRAIN + "/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        owner.as().get(TRAIN + "/" + UUID.randomUUID()).then().statusCode(404);
        Api.admin().as().get(TRAIN + "/" + id).then().statusCode(200).body("id", equalTo(id));
        given().get(TRAIN + "/" + id).then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(job(model, "file-abc123")).post(TRAIN).then().statusCode(401);
        // jobs run on the platform's account, unbilled: only admins start them
        Api.registerConsumer().as().body(job(model, "file-abc123")).post(TRAIN).then().statusCode(403)
                .contentType("application/problem+json");
    }

    /** A fresh administrator (jobs are started by admins); each test has its own, so its jobs are its own. */
    private static Api.User trainer() {
        Api.User user = Api.registerConsumer();
        Api.admin().as().body(Map.of("roles", List.of("consumer", "admin"))).put("/api/v1/admin/users/" + user.id())
                .then().statusCode(200);
        JsonPath login = Api.login(user.username(), user.password(), Api.randomClientAddress()).then()
                .statusCode(200).extract().jsonPath();
        return new Api.User(user.id(), user.username(), user.email(), user.password(),
                login.getString("access_token"), login.getString("refresh_token"));
    }

    @Test
    void a_model_served_only_by_anthropic_is_501_and_an_unknown_or_disabled_one_404() throws SQLException {
        Api.User user = trainer();
        String claude = AiFixtures.model("claude", AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0));
        user.as().body(job(claude, "file-abc123")).post(TRAIN).then().statusCode(501)
                .contentType("application/problem+json")
                .body("detail", containsString("this model's providers offer no fine-tuning API"));
        user.as().body(job("no-such-model", "file-abc123")).post(TRAIN).then().statusCode(404)
                .contentType("application/problem+json");

        String disabled = Api.uniqueName("off");
        Api.admin().as().body(Map.of("name", disabled, "enabled", false, "pricing", Map.of("input_per_million", 1,
                "output_per_million", 1), "channels", List.of(AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0))))
                .post("/api/v1/admin/models").then().statusCode(201);
        user.as().body(job(disabled, "file-abc123")).post(TRAIN).then().statusCode(404);
        assertThat(openAi.calls() + anthropic.calls()).isZero();
        assertThat(jobsOf(user)).isZero();
    }

    @Test
    void bad_bodies_are_422_naming_each_field_and_nothing_is_sent_or_stored() throws SQLException {
        String model = AiFixtures.model("tune", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = trainer();
        Map<String, Object> body = new HashMap<>();
        body.put("model_id", "no spaces");
        body.put("validation_file", "file/../x");
        body.put("suffix", "x".repeat(65));
        body.put("hyperparameters", Map.of("n_epochs", 1.5, "batch_size", -1, "learning_rate_multiplier", "fast",
                "warmup", 1));
        JsonPath problem = user.as().body(body).post(TRAIN).then().statusCode(422)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getList("errors.field", String.class)).containsExactlyInAnyOrder("model_id",
                "training_file", "validation_file", "suffix", "hyperparameters.n_epochs",
                "hyperparameters.batch_size", "hyperparameters.learning_rate_multiplier", "hyperparameters.warmup");

        user.as().body(Map.of("model_id", model, "training_file", "file-abc123", "epochs", 3)).post(TRAIN).then()
                .statusCode(422);
        user.as().body("[]").post(TRAIN).then().statusCode(400);
        user.as().post(TRAIN).then().statusCode(422);
        assertThat(openAi.calls()).isZero();
        assertThat(jobsOf(user)).isZero();
    }

    @Test
    void a_provider_that_fails_is_a_502_and_nothing_is_stored() throws SQLException {
        String model = AiFixtures.model("tune", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = trainer();
        openAi.next(Reply.failing(500));
        String text = user.as().body(job(model, "file-abc123")).post(TRAIN).then().statusCode(502)
                .contentType("application/problem+json").body("detail", containsString("HTTP 500")).extract()
                .asString();
        assertNoKey(text);
        assertThat(jobsOf(user)).isZero();

        // a poll the provider fails is a 502 and leaves the job as it was
        String id = user.as().body(job(model, "file-abc123")).post(TRAIN).then().statusCode(201).extract()
                .path("id");
        openAi.next(Reply.failing(503));
        user.as().get(TRAIN + "/" + id).then().statusCode(502).contentType("application/problem+json");
        user.as().get(TRAIN + "/" + id).then().statusCode(200).body("status", equalTo("running"));
    }

    private long jobsOf(Api.User user) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from ai_training_jobs where user_id = ?")) {
            statement.setObject(1, UUID.fromString(user.id()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
