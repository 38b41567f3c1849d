package dev.tollgate.accounts;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tollgate.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** Every bad registration input gets a clear problem and creates nothing. */
@QuarkusTest
class RegistrationValidationTest {

    @ParameterizedTest(name = "{0}={1} -> 422")
    @CsvSource(delimiter = '|', value = {
            "email|not-an-email",
            "email|a@b",
            "email|''",
            "username|ab",
            "username|has space",
            "username|abcdefghijabcdefghijabcdefghijabc",
            "username|bad*chars",
            "password|short",
            "password|123456789",
            "role|admin",
            "role|superuser"})
    void rejects_invalid_field_with_422_naming_it_and_creates_nothing(String field, String value) {
        String username = Api.uniqueName("val");
        Map<String, Object> body = new HashMap<>(Map.of("email", username + "@example.com", "username", username,
                "password", Api.PASSWORD));
        body.put(field, value);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/auth/register")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("title", notNullValue())
                .body("detail", containsString(field))
                .body("errors.field", hasItem(field));
        assertNoAccount(username);
    }

    @Test
    void missing_fields_are_each_reported() {
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/auth/register")
                .then().statusCode(422)
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("username"))
                .body("errors.field", hasItem("password"));
    }

    @Test
    void missing_body_is_422() {
        given().contentType(ContentType.JSON).post("/api/v1/auth/register")
                .then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void malformed_json_is_400_and_creates_nothing() {
        String username = Api.uniqueName("malformed");
        given().contentType(ContentType.JSON)
                .body("{\"email\":\"" + username + "@example.com\",\"username\":\"" + username + "\",")
                .post("/api/v1/auth/register")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("detail", containsString("not valid JSON"));
        assertNoAccount(username);
    }

    @Test
    void wrong_json_type_is_422_naming_the_field_and_the_expected_type() {
        given().contentType(ContentType.JSON).body("{\"email\": [1,2], \"username\": \"abc\", \"password\": 5}")
                .post("/api/v1/auth/register")
                .then().statusCode(422).contentType("application/problem+json").body("status", equalTo(422))
                .body("detail", equalTo("email: expected a string")).body("errors[0].field", equalTo("email"));
    }

    @Test
    void wrong_content_type_is_415() {
        given().contentType(ContentType.TEXT).body("email=a@b.co").post("/api/v1/auth/register")
                .then().statusCode(415).contentType("application/problem+json")
                .body("status", equalTo(415)).body("title", equalTo("Unsupported Media Type"));
    }

    @Test
    void oversized_body_is_413_whether_declared_or_streamed() {
        String username = Api.uniqueName("huge");
        String padding = "x".repeat(1_100_000);
        String json = "{\"email\":\"" + username + "@example.com\",\"username\":\"" + username
                + "\",\"password\":\"" + Api.PASSWORD + "\",\"pad\":\"" + padding + "\"}";
        given().contentType(ContentType.JSON).body(json).post("/api/v1/auth/register")
                .then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413)).body("detail", containsString("1048576"));
        // chunked: no Content-Length, the limit is enforced while reading
        given().contentType(ContentType.JSON)
                .body(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .post("/api/v1/auth/register")
                .then().statusCode(413).contentType("application/problem+json");
        assertNoAccount(username);
    }

    @Test
    void a_body_just_under_the_limit_is_read() {
        String username = Api.uniqueName("big");
        String padding = " ".repeat(1_000_000);
        given().contentType(ContentType.JSON)
                .body("{\"email\":\"" + username + "@example.com\",\"username\":\"" + username
                        + "\",\"password\":\"" + Api.PASSWORD + "\"" + padding + "}")
                .post("/api/v1/auth/register")
                .then().statusCode(201);
    }

    private static void assertNoAccount(String username) {
        Api.login(username, Api.PASSWORD, Api.randomClientAddress()).then().statusCode(401);
    }
}
