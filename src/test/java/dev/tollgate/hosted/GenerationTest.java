package dev.tollgate.hosted;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Generation against a fake OpenAI vendor that returns known answers: correct code, broken then fixed code (the repair
 * loop), malicious code (the sandbox stops each attempt and the draft is failed), answers without code, a user without
 * credit, the monthly allowance per tier, the progress stream, billing at the model's price, and suggestions.
 */
@QuarkusTest
@TestProfile(GenerationTest.GeneratorProfile.class)
class GenerationTest {

    static final String MODEL = "generator-test-model";

    public static class GeneratorProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.hosted.generator-model", MODEL, "tollgate.hosted.generation.monthly-limits",
                    "free:3,pro:0,enterprise:0", "tollgate.hosted.generation.repairs", "2",
                    "tollgate.hosted.memory-per-call", "64M", "tollgate.hosted.fetch.allow-private", "false");
        }
    }

    static FakeOpenAi vendor;

    @jakarta.inject.Inject
    dev.tollgate.testing.TestClock clock;

    static final String FACTS = Hosted.module(
            "\"GET /facts/{id}\": (req) => { const facts = ['Cats sleep 16 hours a day.', 'Cats have 32 muscles"
                    + " in each ear.']; const i = Number(req.params.id); if (!Number.isInteger(i) || i < 0 || i >="
                    + " facts.length) return { status: 404, json: { error: 'no fact ' + req.params.id } };"
                    + " return { json: { id: i, fact: facts[i] } }; }");
    static final String FACTS_BROKEN = Hosted.module(
            "\"GET /facts/{id}\": (req) => ({ json: { id: req.params.id, fact: 'Cats sleep 16 hours a day.' } })");
    static final String EXAMPLES = """
            [{"name": "first fact", "request": {"method": "GET", "path": "/facts/0"},
              "expected": {"status": 200, "json": {"id": 0, "fact": "Cats sleep 16 hours a day."}}},
             {"name": "unknown fact", "request": {"method": "GET", "path": "/facts/9"}, "expected": {"status": 404}}]
            """;

    static String answer(String code) {
        return "Here is the API.\n\n```javascript\n" + code + "```\n\n```json\n" + EXAMPLES
                + "```\n\nIt serves cat facts by index and answers 404 for unknown ones.";
    }

    /** Once per class, once the application listens (a static {@code @BeforeAll} runs before it does). */
    private static void startVendor() throws IOException {
        vendor = FakeOpenAi.servingModel(MODEL);
    }

    @AfterAll
    static void stopVendor() {
        if (vendor != null) {
            vendor.close();
            vendor = null;
        }
    }

    @BeforeEach
    void resetVendor() throws IOException {
        if (vendor == null) {
            startVendor();
        }
        vendor.replying(null);
        vendor.always(Reply.text(answer(FACTS)));
    }

    static Api.User providerWithCredit(String credit) {
        Api.User provider = Api.register("provider");
        if (credit != null) {
            Api.grantCredits(provider, credit);
        }
        return provider;
    }

    static JsonPath generate(Api.User user, Map<String, Object> body) {
        return user.as().body(body).post("/api/v1/generate").then().statusCode(202).extract().jsonPath();
    }

    static JsonPath awaitJob(Api.User user, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonPath job = user.as().get("/api/v1/generate/" + jobId).then().statusCode(200).extract().jsonPath();
            String status = job.getString("status");
            if (status.equals("ready") || status.equals("failed")) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s finished", jobId).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static BigDecimal balance(Api.User user) {
        JsonPath json = user.as().get("/api/v1/users/me/credits").then().statusCode(200).extract().jsonPath()
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        return new BigDecimal(json.get("balance").toString());
    }

    @Test
    void a_description_becomes_a_tested_draft_that_deploys_and_serves_calls() throws Exception {
        Api.User provider = providerWithCredit("1");
        vendor.always(Reply.text(answer(FACTS)).tokens(1_000, 2_000));
        JsonPath queued = generate(provider, Map.of("prompt", "An API of cat facts by index", "name",
                Api.uniqueName("Cat facts")));
        assertThat(queued.getString("status")).isIn("queued", "running", "ready");

        JsonPath job = awaitJob(provider, queued.getString("job_id"));
        assertThat(job.getString("status")).isEqualTo("ready");
        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getInt("version")).isEqualTo(1);
        assertThat(job.getString("code")).contains("GET /facts/{id}");
        assertThat(job.getList("tests.passed")).containsExactly(true, true);
        assertThat(job.getString("explanation")).contains("cat facts by index");
        assertThat(job.getList("progress.stage")).contains("generating", "testing", "tested", "ready");
        // 1,000 input tokens at 3 micros and 2,000 output tokens at 15 micros
        assertThat(new BigDecimal(job.getString("cost"))).isEqualByComparingTo("0.033");
        assertThat(balance(provider)).isEqualByComparingTo("0.967");
        assertThat(vendor.last().body().path("messages").get(0).path("content").asText())
                .contains("export default { routes:");

        // the draft is not served until it is deployed
        String apiId = job.getString("api_id");
        provider.as().get("/api/v1/apis/" + apiId + "/versions").then().statusCode(200)
                .body("[0].source", equalTo("generated")).body("[0].active", equalTo(false))
                .body("[0].status", equalTo("ready"));
        JsonPath deployed = Hosted.deploy(provider, Map.of("api_id", apiId, "version", 1));
        // generated APIs start private: listing it is the provider's choice
        provider.as().body(Map.of("visibility", "public")).put("/api/v1/apis/" + apiId).then().statusCode(200);
        PublishedApi api = new PublishedApi(provider, apiId, deployed.getString("api.slug"),
                provider.as().get("/api/v1/apis/" + apiId + "/plans").then().extract().jsonPath().getString("[0].id"));
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/facts/1").then().statusCode(200)
                .body("fact", equalTo("Cats have 32 muscles in each ear."));

        // the progress stream replays the steps and ends with the job
        String events = provider.as().accept("text/event-stream")
                .get("/api/v1/generate/" + queued.getString("job_id") + "/events").then().statusCode(200).extract()
                .asString();
        assertThat(events).contains("event: progress").contains("\"stage\":\"testing\"").contains("event: done")
                .contains("\"status\":\"ready\"");
        provider.as().get("/api/v1/generate").then().statusCode(200).body("api_generation_count", equalTo(1))
                .body("limit", equalTo(3)).body("jobs[0].job_id", equalTo(queued.getString("job_id")));
        Api.register("provider").as().get("/api/v1/generate/" + queued.getString("job_id")).then().statusCode(404);
    }

    @Test
    void broken_code_goes_back_to_the_model_with_what_failed_and_the_fix_is_kept() throws Exception {
        Api.User provider = providerWithCredit("1");
        vendor.next(Reply.text(answer(FACTS_BROKEN)));
        vendor.next(Reply.text(answer(FACTS)));
        int before = vendor.received().size();
        JsonPath job = awaitJob(provider,
                generate(provider, Map.of("prompt", "Cat facts by index")).getString("job_id"));
        assertThat(job.getString("status")).isEqualTo("ready");
        assertThat(job.getInt("attempts")).isEqualTo(2);
        assertThat(job.getList("progress.stage")).contains("repairing");
        assertThat(vendor.received().size() - before).isEqualTo(2);
        String repairRequest = vendor.last().body().path("messages").toString();
        assertThat(repairRequest).contains("did not pass").contains("unknown fact").contains("expected");
        assertThat(job.getString("code")).contains("Number.isInteger");
    }

    @Test
    void malicious_code_is_stopped_by_the_sandbox_and_never_becomes_ready() throws Exception {
        Map<String, String> attempts = Map.of(
                "reads a file", "\"GET /facts/{id}\": async () => ({ json: await import('/etc/passwd') })",
                "loops forever", "\"GET /facts/{id}\": () => { for (;;) {} }",
                "allocates without end",
                "\"GET /facts/{id}\": () => { const a = []; for (;;) a.push('x'.repeat(1e4)); }",
                "calls java.lang.System",
                "\"GET /facts/{id}\": () => ({ json: Java.type('java.lang.System').getenv() })",
                "fetches 127.0.0.1", "\"GET /facts/{id}\": async () => ({ json: await (await fetch('http://127.0.0.1:"
                        + io.restassured.RestAssured.port + "/api/v1/system/health')).json() })");
        for (Map.Entry<String, String> attempt : attempts.entrySet()) {
            Api.User provider = providerWithCredit("1");
            vendor.always(Reply.text(answer(Hosted.module(attempt.getValue()))));
            JsonPath job = awaitJob(provider, generate(provider, Map.of("prompt", "Cat facts: " + attempt.getKey()))
                    .getString("job_id"));
            assertThat(job.getString("status")).as(attempt.getKey()).isEqualTo("failed");
            assertThat(job.getInt("attempts")).as(attempt.getKey()).isEqualTo(3);
            assertThat(job.getList("tests.passed")).as(attempt.getKey()).containsOnly(false);
            assertThat(job.getString("error")).contains("did not pass");
            assertThat(job.getString("tests[0].error")).as(attempt.getKey()).contains(Map.of("reads a file",
                    "failed", "loops forever", "did not finish", "allocates without end", "memory",
                    "calls java.lang.System", "Java", "fetches 127.0.0.1", "internal address").get(attempt.getKey()));
            provider.as().get("/api/v1/apis/" + job.getString("api_id") + "/versions").then()
                    .body("[0].status", equalTo("failed")).body("[0].active", equalTo(false));
            // the failed draft is refused by the test gate
            provider.as().body(Map.of("api_id", job.getString("api_id"), "version", 1)).post("/api/v1/deploy")
                    .then().statusCode(409);
        }
    }

    @Test
    void an_answer_without_code_is_asked_again_and_a_user_without_credit_is_told() throws Exception {
        Api.User provider = providerWithCredit("1");
        vendor.always(Reply.text("I cannot write code today."));
        JsonPath job = awaitJob(provider, generate(provider, Map.of("prompt", "Anything")).getString("job_id"));
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error")).contains("no usable code").contains("javascript");
        assertThat(job.getString("api_id")).isNull();

        // one generation at a time: a second start while the model has not answered is a conflict
        Api.User busy = providerWithCredit("1");
        vendor.next(Reply.hanging());
        String first = generate(busy, Map.of("prompt", "Cat facts")).getString("job_id");
        busy.as().body(Map.of("prompt", "Dog facts")).post("/api/v1/generate").then().statusCode(409)
                .body("detail", containsString("generation running"));
        assertThat(awaitJob(busy, first).getString("error")).contains("generator model");

        Api.User poor = providerWithCredit(null);
        JsonPath refused = awaitJob(poor, generate(poor, Map.of("prompt", "Cat facts")).getString("job_id"));
        assertThat(refused.getString("status")).isEqualTo("failed");
        assertThat(refused.getString("error")).contains("Not enough credit");
        assertThat(balance(poor)).isEqualByComparingTo("0");
    }

    @Test
    void each_tier_has_a_monthly_allowance_and_bad_input_changes_nothing() throws Exception {
        Api.User provider = providerWithCredit("1");
        provider.as().body(Map.of("prompt", "")).post("/api/v1/generate").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItem("prompt"));
        provider.as().body(Map.of("prompt", "x".repeat(4_001))).post("/api/v1/generate").then().statusCode(422);
        Api.registerConsumer().as().body(Map.of("prompt", "Cat facts")).post("/api/v1/generate").then()
                .statusCode(403);
        for (int i = 0; i < 3; i++) {
            awaitJob(provider, generate(provider, Map.of("prompt", "Cat facts " + i)).getString("job_id"));
        }
        provider.as().body(Map.of("prompt", "One more")).post("/api/v1/generate").then().statusCode(429)
                .contentType("application/problem+json").body("detail", containsString("3 API generations"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        provider.as().get("/api/v1/generate").then().body("api_generation_count", equalTo(3))
                .body("tier", equalTo("free"));

        // next month the allowance starts again
        java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        clock.advance(Duration.between(java.time.Instant.now(), now.plusMonths(1).atDay(1)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plus(Duration.ofHours(1))));
        try {
            provider.as().get("/api/v1/generate").then().body("api_generation_count", equalTo(0))
                    .body("period", equalTo(now.plusMonths(1).toString()));
            awaitJob(provider, generate(provider, Map.of("prompt", "Cat facts next month")).getString("job_id"));
            provider.as().get("/api/v1/generate").then().body("api_generation_count", equalTo(1));
        } finally {
            clock.reset();
        }

        Api.admin().as().body(Map.of("plan", "pro")).put("/api/v1/admin/users/" + provider.id()).then()
                .statusCode(200);
        generate(provider, Map.of("prompt", "One more on pro"));
        provider.as().get("/api/v1/generate").then().body("limit", equalTo(0)).body("tier", equalTo("pro"));
    }

    @Test
    void suggestions_review_the_deployed_code() {
        Api.User provider = providerWithCredit("1");
        PublishedApi api = Hosted.deployNew(provider, FACTS, Map.of());
        vendor.always(Reply.text("```json\n[{\"kind\": \"validation\", \"title\": \"Check the id\", \"detail\":"
                + " \"Answer 400 when id is not a number.\"}, {\"kind\": \"docs\", \"title\": \"Describe the route\","
                + " \"detail\": \"Say what a fact is.\"}]\n```"));
        provider.as().get("/api/v1/suggestions?api_id=" + api.id()).then().statusCode(200)
                .body("version", equalTo(1)).body("suggestions.kind", equalTo(List.of("validation", "docs")))
                .body("suggestions[0].title", equalTo("Check the id"));
        assertThat(vendor.last().body().path("messages").toString()).contains("Number.isInteger");
        provider.as().get("/api/v1/suggestions").then().statusCode(422);
        // someone else's public API: visible, not theirs to review
        Api.register("provider").as().get("/api/v1/suggestions?api_id=" + api.id()).then().statusCode(403);
    }

    @Test
    void a_draft_whose_code_does_not_load_is_never_served_even_forced() throws Exception {
        Api.User provider = providerWithCredit("1");
        vendor.always(Reply.text(answer("export default { routes: { \"GET /facts/{id}\": ( } };")));
        JsonPath job = awaitJob(provider, generate(provider, Map.of("prompt", "Cat facts")).getString("job_id"));
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getList("progress.message").toString()).contains("does not load");
        provider.as().body(Map.of("api_id", job.getString("api_id"), "version", 1, "force", true))
                .post("/api/v1/deploy").then().statusCode(422).body("errors.message",
                        org.hamcrest.Matchers.hasItem(containsString("cannot be served")));
        provider.as().get("/api/v1/apis/" + job.getString("api_id") + "/versions/1/openapi").then().statusCode(422);
    }
}
