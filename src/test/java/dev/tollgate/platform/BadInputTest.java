package dev.tollgate.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.internal.AccessTokens;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Api.User;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Input that used to pass silently or get a vague answer gets a problem that says exactly what is wrong. */
@QuarkusTest
class BadInputTest {

    @Inject
    AccessTokens tokens;

    @Nested
    class Unknown_fields {

        @Test
        void a_misspelt_field_is_a_422_naming_it_and_creates_nothing() {
            User provider = Api.register("provider");
            String slug = Api.uniqueName("typo").replace('_', '-');
            provider.as()
                    .body(Map.of("name", "Typo", "slug", slug, "base_url", "http://127.0.0.1:9", "description", "d",
                            "visiblity", "public"))
                    .post("/api/v1/apis").then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("visiblity"))
                    .body("errors[0].message", containsString("not a known field"))
                    .body("errors[0].message", containsString("visibility"))
                    .body("detail", startsWith("visiblity: "));
            provider.as().get("/api/v1/apis").then().statusCode(200).body("size()", equalTo(0));
        }

        @Test
        void a_nested_unknown_field_is_named_with_its_path() {
            User provider = Api.register("provider");
            String apiId = provider.as()
                    .body(Map.of("name", "Nested", "base_url", "http://127.0.0.1:9", "description", "d"))
                    .post("/api/v1/apis").then().statusCode(201).extract().path("id");
            provider.as().body(Map.of("name", "metered", "type", "free",
                    "rate_limit", Map.of("requests", 5, "period", "minute", "burst", 9)))
                    .post("/api/v1/apis/" + apiId + "/plans").then().statusCode(422)
                    .body("errors[0].field", equalTo("rate_limit.burst"));
        }
    }

    @Nested
    class Wrong_types {

        @Test
        void a_bad_date_time_says_what_format_is_expected() {
            User consumer = Api.registerConsumer();
            consumer.as().body(Map.of("name", "k", "expires_at", "next tuesday")).post("/api/v1/api-keys")
                    .then().statusCode(422)
                    .body("detail", equalTo("expires_at: expected an ISO-8601 date-time such as 2027-01-01T00:00:00Z"))
                    .body("errors[0].field", equalTo("expires_at"));
            consumer.as().get("/api/v1/api-keys").then().statusCode(200).body("size()", equalTo(0));
        }

        @Test
        void numbers_uuids_and_lists_name_their_expected_type() {
            User provider = Api.register("provider");
            provider.as()
                    .body(Map.of("name", "T", "base_url", "http://127.0.0.1:9", "description", "d", "timeout_ms",
                            "soon"))
                    .post("/api/v1/apis").then().statusCode(422)
                    .body("detail", equalTo("timeout_ms: expected a whole number"));
            provider.as()
                    .body(Map.of("name", "T", "base_url", "http://127.0.0.1:9", "description", "d", "tags",
                            Map.of("a", 1)))
                    .post("/api/v1/apis").then().statusCode(422)
                    .body("detail", equalTo("tags: expected an array"));
            User consumer = Api.registerConsumer();
            consumer.as().body(Map.of("name", "k", "api_ids", List.of("not-a-uuid"))).post("/api/v1/api-keys")
                    .then().statusCode(422)
                    .body("errors[0].field", equalTo("api_ids[0]"))
                    .body("errors[0].message", startsWith("expected a UUID"));
        }

        @Test
        void a_body_that_is_not_an_object_says_so() {
            Api.registerConsumer().as().body("[1, 2]").post("/api/v1/api-keys").then().statusCode(400)
                    .body("detail", equalTo("The request body must be a JSON object."));
        }
    }

    @Nested
    class Access_tokens {

        @Test
        void an_expired_access_token_gets_a_401_that_says_it_expired() throws Exception {
            User user = Api.registerConsumer();
            JsonNode claims = claimsOf(user.accessToken());
            String expired = tokens.issue(UUID.fromString(user.id()), user.username(), List.of("consumer"),
                    UUID.fromString(claims.get("sid").asText()), Instant.now().minusSeconds(7_200));

            given().auth().oauth2(expired).get("/api/v1/users/me").then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer error=\"invalid_token\""))
                    .body("detail", containsString("has expired"));
            given().auth().oauth2(user.accessToken()).get("/api/v1/users/me").then().statusCode(200);
        }

        @Test
        void a_forged_token_is_invalid_but_not_called_expired() {
            User user = Api.registerConsumer();
            String token = user.accessToken();
            String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(
                    token.lastIndexOf('.') + 5);
            given().auth().oauth2(forged).get("/api/v1/users/me").then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer error=\"invalid_token\""))
                    .body("detail", equalTo("The access token is not valid."));
        }

        @Test
        void no_token_at_all_asks_for_one() {
            given().get("/api/v1/users/me").then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Bearer"))
                    .body("detail", equalTo("A valid access token is required."));
        }

        private JsonNode claimsOf(String jwt) throws Exception {
            String payload = jwt.split("\\.")[1];
            return new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(payload),
                    StandardCharsets.UTF_8));
        }
    }

    @Nested
    class Wording {

        @Test
        void reading_another_providers_logs_or_metrics_names_the_action() {
            User owner = Api.register("provider");
            String apiId = owner.as().body(Map.of("name", "Mine", "base_url", "http://127.0.0.1:9", "description", "d",
                    "visibility", "public")).post("/api/v1/apis").then().statusCode(201).extract().path("id");
            User other = Api.register("provider");
            other.as().get("/api/v1/apis/" + apiId + "/logs").then().statusCode(403)
                    .body("detail", equalTo("Only the API's owner or an admin may read its request logs."));
            other.as().get("/api/v1/apis/" + apiId + "/metrics").then().statusCode(403)
                    .body("detail", equalTo("Only the API's owner or an admin may read its metrics."));
            other.as().post("/api/v1/apis/" + apiId + "/pause").then().statusCode(403)
                    .body("detail", equalTo("Only the API's owner or an admin may pause it."));
            other.as().body(Map.of("name", "x")).put("/api/v1/apis/" + apiId).then().statusCode(403)
                    .body("detail", equalTo("Only the API's owner or an admin may change it."));
            assertThat(owner.as().get("/api/v1/apis/" + apiId).then().statusCode(200).extract().<String>path("name"))
                    .isEqualTo("Mine");
        }
    }
}
