package dev.tollgate.platform;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Api.User;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class PlatformBehaviourTest {

    @Nested
    class RequestIds {

        @Test
        void echoes_a_sane_request_id() {
            given().header("X-Request-ID", "client-id_1.2:3").get("/health")
                    .then().header("X-Request-ID", "client-id_1.2:3");
        }

        @Test
        void replaces_an_insane_request_id() {
            String id = given().header("X-Request-ID", "bad id with spaces <script>").get("/health")
                    .then().extract().header("X-Request-ID");
            assertThat(id).matches("[0-9a-f]{32}");
            String tooLong = given().header("X-Request-ID", "a".repeat(200)).get("/health")
                    .then().extract().header("X-Request-ID");
            assertThat(tooLong).matches("[0-9a-f]{32}");
        }

        @Test
        void generates_one_and_puts_it_in_problems_too() {
            Response response = given().get("/no/such/thing");
            String id = response.header("X-Request-ID");
            assertThat(id).matches("[0-9a-f]{32}");
            response.then().body("request_id", equalTo(id));
        }

        @Test
        void every_response_has_a_process_time() {
            given().get("/health").then().header("X-Process-Time", matchesPattern("\\d+\\.\\d\\d"));
            given().get("/nope").then().header("X-Process-Time", notNullValue());
            given().contentType("application/json").body("{").post("/api/v1/auth/login")
                    .then().statusCode(400).header("X-Process-Time", notNullValue());
        }
    }

    @Nested
    class Errors {

        @Test
        void unknown_routes_are_404_problems() {
            for (String path : new String[]{"/nope", "/api/v1/nothing-here", "/api/v2/auth/login"}) {
                given().get(path).then().statusCode(404).contentType("application/problem+json")
                        .body("status", equalTo(404)).body("title", equalTo("Not Found"))
                        .body("detail", containsString(path)).body("instance", equalTo(path));
            }
        }

        @Test
        void wrong_method_is_a_405_problem() {
            given().delete("/api/v1/auth/login").then().statusCode(405).contentType("application/problem+json")
                    .body("status", equalTo(405)).body("title", equalTo("Method Not Allowed"))
                    .body("detail", notNullValue());
            given().get("/api/v1/auth/register").then().statusCode(405);
        }
    }

    @Nested
    class Operations {

        @Test
        void health_is_public() {
            given().get("/health").then().statusCode(200).contentType("application/json")
                    .body("status", equalTo("ok"))
                    .body("version", notNullValue())
                    .body("uptime_seconds", greaterThanOrEqualTo(0))
                    .body("timestamp", notNullValue())
                    .body("checks.database.status", equalTo("up"));
        }

        @Test
        void metrics_are_for_admins_only() {
            given().get("/metrics").then().statusCode(401).contentType("application/problem+json");
            User user = Api.registerConsumer();
            given().auth().oauth2(user.accessToken()).get("/metrics").then().statusCode(403)
                    .contentType("application/problem+json");
            String body = given().auth().oauth2(Api.admin().accessToken()).accept("text/plain").get("/metrics")
                    .then().statusCode(200).contentType(containsString("text/plain")).extract().asString();
            assertThat(body).contains("# TYPE").contains("jvm_memory_used_bytes").contains("http_server_requests");
        }

        @Test
        void openapi_describes_the_endpoints_and_swagger_ui_is_served() {
            String openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                    .extract().asString();
            for (String path : new String[]{"/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh",
                    "/api/v1/auth/logout", "/api/v1/auth/me", "/api/v1/users/me", "/api/v1/admin/users",
                    "/api/v1/admin/users/{id}", "/health", "/.well-known/jwks.json"}) {
                assertThat(openapi).as(path).contains("\"" + path + "\"");
            }
            // schemas use the names that are on the wire (snake_case), not the Java ones
            assertThat(openapi).contains("\"refresh_token\"", "\"access_token\"", "\"created_at\"")
                    .doesNotContain("\"refreshToken\"", "\"accessToken\"");
            given().redirects().follow(true).get("/docs").then().statusCode(200)
                    .body(containsString("swagger"));
        }

        @Test
        void jwks_publishes_the_key_that_verifies_access_tokens() throws Exception {
            User user = Api.registerConsumer();
            JsonPath jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath();
            Map<String, String> key = jwks.getMap("keys[0]");
            assertThat(key).containsEntry("kty", "RSA").containsEntry("alg", "RS256").containsKeys("kid", "n", "e");

            String[] parts = user.accessToken().split("\\.");
            Base64.Decoder url = Base64.getUrlDecoder();
            JsonPath header = JsonPath.from(new String(url.decode(parts[0]), StandardCharsets.UTF_8));
            assertThat(header.getString("alg")).isEqualTo("RS256");
            assertThat(header.getString("kid")).isEqualTo(key.get("kid"));
            PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, url.decode(key.get("n"))), new BigInteger(1, url.decode(key.get("e")))));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(publicKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(rs256.verify(url.decode(parts[2]))).isTrue();
            JsonPath claims = JsonPath.from(new String(url.decode(parts[1]), StandardCharsets.UTF_8));
            assertThat(claims.getString("sub")).isEqualTo(user.id());
            assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);
        }

        @Test
        void a_token_signed_by_another_key_is_refused() {
            User user = Api.registerConsumer();
            String[] parts = user.accessToken().split("\\.");
            String forged = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(new byte[256]);
            given().auth().oauth2(forged).get("/api/v1/auth/me").then().statusCode(401);
        }
    }
}
