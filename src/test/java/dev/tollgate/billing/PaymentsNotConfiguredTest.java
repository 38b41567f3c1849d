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
        Api.User user = Api.registerConsumer();
        user.as().body(Map.of("tier", "pro", "success_url", "https://a.example/x", "cancel_url",
                "https://a.example/y")).post("/api/v1/billing/checkout").then().statusCode(503)
                .contentType("application/problem+json");
        user.as().get("/api/v1/billing/invoices").then().statusCode(503);
        user.as().post("/api/v1/payments/setup").then().statusCode(503);
        Api.register("provider").as().body(Map.of("return_url", "https://a.example/x", "refresh_url",
                "https://a.example/y")).post("/api/v1/billing/connect").then().statusCode(503);
        given().contentType("application/json").header("Stripe-Signature", "t=1,v1=00").body("{}")
                .post("/api/v1/billing/webhook").then().statusCode(503).contentType("application/problem+json");
    }
}
