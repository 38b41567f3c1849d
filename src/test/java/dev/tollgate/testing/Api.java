package dev.tollgate.testing;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Small HTTP client for tests of the control plane: registers users, logs in, sends JSON with a token. */
public final class Api {

    public static final String PASSWORD = "correct horse battery";

    private Api() {
    }

    /** A registered user with their first token pair. */
    public record User(String id, String username, String email, String password, String accessToken,
            String refreshToken) {

        public RequestSpecification as() {
            return given().auth().oauth2(accessToken).contentType(ContentType.JSON);
        }
    }

    /** A fresh, unique username (and e-mail) so tests never collide. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A client address of our own, so that failed-login limits per address do not leak between tests. */
    public static String randomClientAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    public static User register(String role) {
        String username = uniqueName(role == null ? "user" : role);
        String email = username + "@example.com";
        Map<String, Object> body = role == null
                ? Map.of("email", email, "username", username, "password", PASSWORD)
                : Map.of("email", email, "username", username, "password", PASSWORD, "role", role);
        JsonPath json = given().contentType(ContentType.JSON).body(body)
                .post("/api/v1/auth/register").then().statusCode(201).extract().jsonPath();
        return new User(json.getString("user.id"), username, email, PASSWORD, json.getString("access_token"),
                json.getString("refresh_token"));
    }

    public static User registerConsumer() {
        return register(null);
    }

    public static Response login(String username, String password, String clientAddress) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", clientAddress)
                .body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login");
    }

    /** Logs in as the first administrator that the test profile creates. */
    public static User admin() {
        JsonPath json = login("admin", "admin-password-for-tests", randomClientAddress())
                .then().statusCode(200).extract().jsonPath();
        return new User(json.getString("user.id"), "admin", json.getString("user.email"),
                "admin-password-for-tests", json.getString("access_token"), json.getString("refresh_token"));
    }

    /** An admin grants the user {@code amount} of credit. */
    public static void grantCredits(User user, Object amount) {
        admin().as().body(java.util.Map.of("user_id", user.id(), "amount", amount, "reason", "test"))
                .post("/api/v1/admin/credits/grant").then().statusCode(201);
    }
}
