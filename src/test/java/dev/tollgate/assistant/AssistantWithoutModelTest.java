package dev.tollgate.assistant;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import io.quarkus.test.junit.QuarkusTest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Without {@code TOLLGATE_GENERATOR_MODEL} (the default configuration) the assistant says how to configure it. */
@QuarkusTest
class AssistantWithoutModelTest {

    @Test
    void chat_without_a_configured_model_is_503_saying_how_to_configure_it_and_stores_nothing() {
        Api.User user = Api.registerConsumer();
        Api.grantCredits(user, "1");
        user.as().body(Map.of("message", "Hello")).post("/api/v1/assistant/chat").then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("TOLLGATE_GENERATOR_MODEL=<one of the AI models, see GET /v1/models>"));
        user.as().get("/api/v1/assistant/conversations").then().statusCode(200).body("size()", equalTo(0));
    }
}
