package dev.tollgate.aiproxy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** {@code GET /v1/models} with real consumer keys made over the control plane. */
@io.quarkus.test.junit.QuarkusTest
class ModelListTest {

    private static String createModel(Api.User admin, String name, boolean enabled) {
        return admin.as().body(Map.of("name", name, "enabled", enabled, "pricing", Map.of("input_per_million", 1,
                "output_per_million", 2), "channels",
                List.of(Map.of("provider", "openai", "base_url",
                        "http://127.0.0.1:9/v1", "api_key", "sk-upstream-secret", "upstream_model", "gpt-4o"))))
                .post("/api/v1/admin/models").then().statusCode(201).extract().path("id");
    }

    private static String consumerKey() {
        Api.User consumer = Api.registerConsumer();
        return consumer.as().body(Map.of("name", "ai key")).post("/api/v1/api-keys").then().statusCode(201)
                .extract().path("key");
    }

    @Test
    void lists_enabled_models_in_openai_format_for_a_consumer_key_in_any_of_the_three_headers() {
        Api.User admin = Api.admin();
        String enabled = Api.uniqueName("gpt-4o-mini");
        String disabled = Api.uniqueName("retired");
        createModel(admin, enabled, true);
        String disabledId = createModel(admin, disabled, false);
        String key = consumerKey();

        for (var request : List.of(given().header("Authorization", "Bearer " + key),
                given().header("X-API-Key", key), given().header("x-api-key", key))) {
            String body = request.get("/v1/models").then().statusCode(200).contentType(ContentType.JSON)
                    .body("object", equalTo("list")).extract().asString();
            JsonPath json = JsonPath.from(body);
            List<String> ids = json.getList("data.id", String.class);
            assertThat(ids).contains(enabled).doesNotContain(disabled).isSorted();
            Map<String, Object> entry = json.getMap("data.find { it.id == '" + enabled + "' }");
            assertThat(entry).containsOnlyKeys("id", "object", "created", "owned_by")
                    .containsEntry("object", "model").containsEntry("owned_by", "tollgate");
            assertThat(((Number) entry.get("created")).longValue())
                    .isBetween(System.currentTimeMillis() / 1000 - 600, System.currentTimeMillis() / 1000 + 1);
            assertThat(body).doesNotContain("sk-upstream-secret").doesNotContain("127.0.0.1");
        }

        // enabling is in force when the admin call returns
        admin.as().body(Map.of("enabled", true)).put("/api/v1/admin/models/" + disabledId).then().statusCode(200);
        given().header("X-API-Key", key).get("/v1/models").then().statusCode(200)
                .body("data.id.contains('" + disabled + "')", equalTo(true));
    }

    @Test
    void a_missing_unknown_or_revoked_key_is_401_in_openai_error_format() {
        assertOpenAiUnauthorized(given().get("/v1/models").then());
        assertOpenAiUnauthorized(given().header("Authorization", "Bearer tg_not-a-real-key").get("/v1/models")
                .then());
        assertOpenAiUnauthorized(given().header("x-api-key", "tg_not-a-real-key").get("/v1/models").then());

        Api.User consumer = Api.registerConsumer();
        JsonPath created = consumer.as().body(Map.of("name", "short-lived")).post("/api/v1/api-keys").then()
                .statusCode(201).extract().jsonPath();
        given().header("X-API-Key", created.getString("key")).get("/v1/models").then().statusCode(200);
        consumer.as().delete("/api/v1/api-keys/" + created.getString("id")).then().statusCode(204);
        assertOpenAiUnauthorized(given().header("X-API-Key", created.getString("key")).get("/v1/models").then());

        // a JWT access token is not a consumer key
        assertOpenAiUnauthorized(given().auth().oauth2(consumer.accessToken()).get("/v1/models").then());
    }

    private static void assertOpenAiUnauthorized(ValidatableResponse response) {
        response.statusCode(401).contentType(ContentType.JSON)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.param", nullValue())
                .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
    }
}
