package dev.tollgate.aiproxy;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A consumer key's AI settings as the proxy enforces them: model scope, per-minute limits, monthly spend cap. */
@QuarkusTest
class AiKeyLimitsTest {

    FakeOpenAi openAi;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini");
        openAi.always(Reply.text("ok").tokens(20, 5));
    }

    @AfterEach
    void stop() {
        openAi.close();
    }

    private static String key(Api.User user, Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.put("name", "limited");
        return user.as().body(body).post("/api/v1/api-keys").then().statusCode(201).extract().path("key");
    }

    private static Response chat(String key, String model, int maxTokens) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("model", model, "max_tokens", maxTokens, "messages",
                        List.of(Map.of("role", "user", "content", "Hi"))))
                .post("/v1/chat/completions");
    }

    @Test
    void a_key_scoped_to_other_models_is_refused_403_in_the_callers_format() {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        String key = key(user, Map.of("model_ids", List.of("some-other-model")));
        chat(key, model, 10).then().statusCode(403).body("error.type", equalTo("permission_error"))
                .body("error.code", equalTo("model_not_allowed"));
        given().header("x-api-key", key).contentType(ContentType.JSON)
                .body(Map.of("model", model, "max_tokens", 10, "messages",
                        List.of(Map.of("role", "user", "content", "Hi"))))
                .post("/v1/messages").then().statusCode(403).body("error.type", equalTo("permission_error"));
        String allowed = key(user, Map.of("model_ids", List.of(model)));
        chat(allowed, model, 10).then().statusCode(200);
        // /v1/models lists only what the key may use
        assertThat(given().header("X-API-Key", key).get("/v1/models").then().statusCode(200).extract().jsonPath()
                .getList("data.id", String.class)).isEmpty();
        assertThat(given().header("X-API-Key", allowed).get("/v1/models").then().statusCode(200).extract()
                .jsonPath().getList("data.id", String.class)).containsExactly(model);
        assertThat(openAi.calls()).isEqualTo(1);
    }

    @Test
    void requests_per_minute_of_a_model_are_limited_with_rate_limit_headers() {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        String key = key(user, Map.of("model_limits", Map.of(model, Map.of("requests_per_minute", 2))));

        chat(key, model, 10).then().statusCode(200).header("x-ratelimit-limit-requests", "2")
                .header("x-ratelimit-remaining-requests", "1");
        chat(key, model, 10).then().statusCode(200).header("x-ratelimit-remaining-requests", "0");
        Response refused = chat(key, model, 10);
        refused.then().statusCode(429).body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded")).header("x-ratelimit-remaining-requests", "0");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(openAi.calls()).isEqualTo(2);
    }

    @Test
    void tokens_per_minute_stop_calls_once_the_minutes_tokens_are_used() {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        // the "*" entry applies to every model without its own
        String key = key(user, Map.of("model_limits", Map.of("*", Map.of("tokens_per_minute", 30))));

        chat(key, model, 10).then().statusCode(200).header("x-ratelimit-limit-tokens", "30");
        // that call used 25 tokens: 5 are left, so one more may start
        chat(key, model, 10).then().statusCode(200).header("x-ratelimit-remaining-tokens", "5");
        chat(key, model, 10).then().statusCode(429).body("error.code", equalTo("tokens_rate_limit_exceeded"));
        assertThat(openAi.calls()).isEqualTo(2);
    }

    @Test
    void the_monthly_spend_cap_refuses_calls_whose_worst_case_would_pass_it() {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        String key = key(user, Map.of("monthly_spend_cap", new BigDecimal("0.001")));

        // worst case of 100 output tokens alone is 1500 micros: over the cap of 1000, refused without a call
        chat(key, model, 100).then().statusCode(429).body("error.code", equalTo("spend_cap_reached"));
        assertThat(openAi.calls()).isZero();

        // small calls (each costs 20 × 3 + 5 × 15 = 135 micros) go until the next worst case would pass the cap
        int ok = 0;
        Response last = null;
        for (int i = 0; i < 10; i++) {
            last = chat(key, model, 10);
            if (last.statusCode() != 200) {
                break;
            }
            ok++;
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.jsonPath().getString("error.code")).isEqualTo("spend_cap_reached");
        assertThat(ok).isBetween(1, 7);
        assertThat(ok * 135L).isLessThanOrEqualTo(1000L);
        assertThat(openAi.calls()).isEqualTo(ok);

        // another key of the same consumer has its own cap
        chat(key(user, Map.of()), model, 10).then().statusCode(200);
    }

    private static List<String> notices(Api.User user, String type) {
        return user.as().queryParam("type", type).get("/api/v1/notify/history").then().statusCode(200).extract()
                .jsonPath().getList("title");
    }

    private static void awaitNotice(Api.User user, String type) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (notices(user, type).isEmpty()) {
            assertThat(System.nanoTime()).as("a %s notification", type).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void the_spend_cap_tells_the_owner_at_80_percent_and_when_it_refuses_once_each() throws InterruptedException {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        String key = key(user, Map.of("monthly_spend_cap", new BigDecimal("0.001")));
        // each call costs 135 micros of the cap of 1000, its worst case is 186
        for (int i = 0; i < 5; i++) {
            chat(key, model, 10).then().statusCode(200);
        }
        Thread.sleep(1_000); // written and checked: 675 is below 80%
        assertThat(notices(user, "quota_warning")).isEmpty();
        chat(key, model, 10).then().statusCode(200);
        awaitNotice(user, "quota_warning");
        chat(key, model, 10).then().statusCode(200); // 945: still the warning already given
        Thread.sleep(1_000);
        assertThat(notices(user, "quota_exhausted")).isEmpty();
        chat(key, model, 10).then().statusCode(429).body("error.code", equalTo("spend_cap_reached"));
        awaitNotice(user, "quota_exhausted");
        chat(key, model, 10).then().statusCode(429);
        Thread.sleep(1_000);
        assertThat(notices(user, "quota_warning")).containsExactly("80% of an API key's monthly spend cap used");
        assertThat(notices(user, "quota_exhausted")).containsExactly("Monthly spend cap reached on an API key");
    }

    @Test
    void the_worst_case_is_the_prompts_bytes_and_overheads_plus_the_output_cap() {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        // "user" and "Hi" with their separators (5 + 3 bytes) and one message (4): 12 tokens × 3 micros, plus 10
        // output tokens × 15 micros = 186 micros, one micro over this cap
        chat(key(user, Map.of("monthly_spend_cap", new BigDecimal("0.000185"))), model, 10).then().statusCode(429)
                .body("error.code", equalTo("spend_cap_reached"));
        assertThat(openAi.calls()).isZero();
        String exact = key(user, Map.of("monthly_spend_cap", new BigDecimal("0.000186")));
        chat(exact, model, 10).then().statusCode(200);
        // the call cost 135 micros: another worst case of 186 no longer fits
        chat(exact, model, 10).then().statusCode(429).body("error.code", equalTo("spend_cap_reached"));
        assertThat(openAi.calls()).isEqualTo(1);
    }

    @Test
    void a_refusal_for_credit_gives_the_request_back() {
        String model = AiFixtures.model("gpt", AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        Api.User user = Api.registerConsumer();
        String key = key(user, Map.of("model_limits", Map.of(model, Map.of("requests_per_minute", 1))));
        chat(key, model, 10).then().statusCode(402);
        Api.grantCredits(user, "1");
        chat(key, model, 10).then().statusCode(200);
    }
}
