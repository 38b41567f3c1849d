package dev.tollgate.aiproxy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.LedgerInvariants;
import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AI billing on each database (H2 and PostgreSQL): many calls at once from a consumer whose credit covers only some of
 * them — the wallet never goes negative, every answered call is charged exactly once at its actual cost, refused
 * calls (402) cost nothing, and the ledger balances; and a translated stream is charged for the tokens its vendor
 * reported.
 */
abstract class AiBillingScenarios {

    @Inject
    AgroalDataSource database;

    FakeOpenAi openAi;

    @BeforeEach
    void start() throws IOException {
        openAi = new FakeOpenAi(AiFixtures.UPSTREAM_KEY_OPENAI, "gpt-4o-mini");
        // each answered call costs 20 × 3 + 5 × 15 = 135 micros; its worst case (100 output tokens) is over 1,500
        openAi.always(Reply.text("ok").tokens(20, 5).firstByteDelay(Duration.ofMillis(20)));
    }

    @AfterEach
    void stop() {
        openAi.close();
    }

    @Test
    void concurrent_calls_never_overdraw_the_wallet_and_are_charged_once_each() throws Exception {
        String model = AiFixtures.model("gpt", 100, AiFixtures.openAiChannel(openAi, "gpt-4o-mini", 0));
        AiFixtures.Consumer consumer = AiFixtures.consumer("0.01");
        String body = new io.vertx.core.json.JsonObject().put("model", model).put("messages",
                new io.vertx.core.json.JsonArray().add(Map.of("role", "user", "content", "Hi"))).encode();
        // HTTP/2 (h2c upgrade) as the JDK client does by default: ending a response closes its stream at once
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < Integer.getInteger("n", 120); i++) {
            calls.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(AiFixtures.tollgate()
                    + "/v1/chat/completions")).header("Authorization", "Bearer " + consumer.key())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
        }
        int answered = 0;
        int refused = 0;
        for (Future<Integer> call : calls) {
            int status = call.get();
            assertThat(status).isIn(200, 402);
            if (status == 200) {
                answered++;
            } else {
                refused++;
            }
        }
        pool.shutdown();

        assertThat(answered).as("answered calls").isPositive();
        assertThat(refused).as("refused calls: 120 calls cost more than the credit").isPositive();
        assertThat(openAi.calls()).isEqualTo(answered);
        Thread.sleep(3000);
        System.out.println("DEBUG credits " + consumer.user().as().get("/api/v1/users/me/credits").asString());
        System.out.println("DEBUG tx " + consumer.user().as().get("/api/v1/billing/transactions").asString());
        ChargeLines charged = ChargeLines.await(consumer.user(), answered);
        assertThat(charged.calls()).isEqualTo(answered);
        assertThat(charged.amount()).isEqualByComparingTo(AiFixtures.micros(135L * answered).negate());
        JsonPath credits = consumer.user().as().get("/api/v1/users/me/credits").then().statusCode(200).extract()
                .jsonPath();
        BigDecimal balance = new BigDecimal(credits.get("balance").toString());
        assertThat(balance).isEqualByComparingTo(new BigDecimal("0.01").subtract(AiFixtures.micros(135L * answered)))
                .isNotNegative();
        LedgerInvariants.check(database);
    }

    @Test
    void a_translated_stream_is_charged_for_the_tokens_its_vendor_reported() throws Exception {
        try (FakeAnthropic anthropic = new FakeAnthropic(AiFixtures.UPSTREAM_KEY_ANTHROPIC, "claude-haiku-4-5")) {
            anthropic.always(Reply.text("Streamed across formats").tokens(70, 9).cached(30));
            String model = AiFixtures.model("claude", AiFixtures.anthropicChannel(anthropic, "claude-haiku-4-5", 0));
            AiFixtures.Consumer consumer = AiFixtures.consumer("1");
            String body = new io.vertx.core.json.JsonObject().put("model", model).put("stream", true)
                    .put("messages", new io.vertx.core.json.JsonArray().add(Map.of("role", "user", "content", "Hi")))
                    .encode();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    AiFixtures.tollgate() + "/v1/chat/completions")).header("Authorization", "Bearer "
                            + consumer.key())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Streamed").endsWith("data: [DONE]\n\n");
            // 70 uncached × 3 + 30 cached × 1 + 9 × 15 = 375 micros
            assertThat(ChargeLines.await(consumer.user(), 1).amount()).isEqualByComparingTo("-0.000375");
            assertThat(consumer.balance()).isEqualByComparingTo("0.999625");
            LedgerInvariants.check(database);
        }
    }
}
