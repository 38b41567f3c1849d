package dev.tollgate.billing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** Without Stripe keys the platform runs; payment endpoints say they are not configured. */
@QuarkusTest
class PaymentsNotConfiguredTest {

    @Test
    void stripe_endpoints_answer_503_with_a_problem() {
        Api.registerConsumer().as().body(Map.of("amount", 10, "success_url", "https://a.example/x", "cancel_url",
                "https://a.example/y")).post("/api/v1/billing/checkout").then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("STRIPE_SECRET_KEY"));
        given().contentType("application/json").header("Stripe-Signature", "t=1,v1=00").body("{}")
                .post("/api/v1/billing/webhook").then().statusCode(503).contentType("application/problem+json");
    }
}
