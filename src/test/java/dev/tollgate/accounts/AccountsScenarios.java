package dev.tollgate.accounts;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Api.User;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The account flows that depend most on the database, run against each supported database by the subclasses.
 */
abstract class AccountsScenarios {

    @Test
    void registers_and_returns_tokens_and_user_without_secrets() {
        String username = Api.uniqueName("Reg");
        JsonPath json = given().contentType(ContentType.JSON)
                .body(Map.of("email", username.toUpperCase() + "@Example.com", "username", username,
                        "password", Api.PASSWORD, "role", "provider"))
                .post("/api/v1/auth/register")
                .then().statusCode(201)
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(900))
                .body("access_token", notNullValue())
                .body("refresh_token", notNullValue())
                .body("user.username", equalTo(username))
                .body("user.email", equalTo(username.toLowerCase() + "@example.com"))
                .body("user.roles", equalTo(java.util.List.of("provider")))
                .body("user.plan", equalTo("free"))
                .body("user.created_at", notNullValue())
                .extract().jsonPath();
        assertThat(json.getMap("user")).doesNotContainKeys("password", "password_hash", "passwordHash");
        assertThat(json.prettify()).doesNotContain(Api.PASSWORD).doesNotContain("$2b$");
    }

    @Test
    void logs_in_by_username_or_email_and_reads_me() {
        User user = Api.registerConsumer();
        String client = Api.randomClientAddress();
        String token = Api.login(user.username().toUpperCase(), user.password(), client).then().statusCode(200)
                .body("user.id", equalTo(user.id())).extract().path("access_token");
        Api.login(user.email(), user.password(), client).then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/auth/me").then().statusCode(200)
                .body("id", equalTo(user.id())).body("username", equalTo(user.username()))
                .body("roles", equalTo(java.util.List.of("consumer")));
        given().auth().oauth2(token).get("/api/v1/users/me").then().statusCode(200).body("id", equalTo(user.id()));
    }

    @Test
    void duplicate_email_or_username_is_409_and_changes_nothing() {
        User user = Api.registerConsumer();
        given().contentType(ContentType.JSON)
                .body(Map.of("email", user.email().toUpperCase(), "username", Api.uniqueName("other"),
                        "password", Api.PASSWORD))
                .post("/api/v1/auth/register").then().statusCode(409)
                .contentType("application/problem+json").body("status", equalTo(409))
                .body("title", equalTo("Conflict")).body("detail", notNullValue());
        String other = Api.uniqueName("other");
        given().contentType(ContentType.JSON)
                .body(Map.of("email", other + "@example.com", "username", user.username().toUpperCase(),
                        "password", Api.PASSWORD))
                .post("/api/v1/auth/register").then().statusCode(409);
        // the rejected registration did not create an account
        Api.login(other + "@example.com", Api.PASSWORD, Api.randomClientAddress()).then().statusCode(401);
    }

    @Test
    void concurrent_registrations_of_one_username_create_exactly_one_account() throws Exception {
        String username = Api.uniqueName("race");
        int attempts = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                start.await();
                return given().contentType(ContentType.JSON)
                        .body(Map.of("email", username + n + "@example.com", "username", username,
                                "password", Api.PASSWORD))
                        .post("/api/v1/auth/register").statusCode();
            }));
        }
        start.countDown();
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Integer> result : results) {
            statuses.add(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
    }

    @Test
    void refresh_rotates_and_the_old_refresh_token_stops_working() {
        User user = Api.registerConsumer();
        JsonPath next = refresh(user.refreshToken()).then().statusCode(200)
                .body("token_type", equalTo("bearer")).extract().jsonPath();
        assertThat(next.getString("refresh_token")).isNotEqualTo(user.refreshToken());
        given().auth().oauth2(next.getString("access_token")).get("/api/v1/auth/me").then().statusCode(200);
        // the newest works once
        String third = refresh(next.getString("refresh_token")).then().statusCode(200).extract()
                .path("refresh_token");
        assertThat(third).isNotNull();
    }

    @Test
    void reusing_a_refresh_token_revokes_the_whole_login() {
        User user = Api.registerConsumer();
        JsonPath next = refresh(user.refreshToken()).then().statusCode(200).extract().jsonPath();
        // replay of the used token: refused, and the login is over
        refresh(user.refreshToken()).then().statusCode(401).contentType("application/problem+json");
        refresh(next.getString("refresh_token")).then().statusCode(401);
        given().auth().oauth2(next.getString("access_token")).get("/api/v1/auth/me").then().statusCode(401);
        // other logins of the same user are unaffected
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(200);
    }

    @Test
    void logout_ends_refresh_and_access_tokens_of_that_login() {
        User user = Api.registerConsumer();
        String otherLogin = Api.login(user.username(), user.password(), Api.randomClientAddress())
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(user.accessToken()).post("/api/v1/auth/logout").then().statusCode(204);
        given().auth().oauth2(user.accessToken()).get("/api/v1/auth/me").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer error=\"invalid_token\""))
                .body("detail", containsString("login has ended"));
        refresh(user.refreshToken()).then().statusCode(401);
        given().auth().oauth2(otherLogin).get("/api/v1/auth/me").then().statusCode(200);
    }

    @Test
    void suspension_stops_tokens_at_once_and_blocks_login() {
        User user = Api.registerConsumer();
        User admin = Api.admin();
        admin.as().body(Map.of("suspended", true)).put("/api/v1/admin/users/" + user.id())
                .then().statusCode(200).body("suspended", equalTo(true));
        given().auth().oauth2(user.accessToken()).get("/api/v1/auth/me").then().statusCode(401);
        refresh(user.refreshToken()).then().statusCode(401);
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(403)
                .body("detail", equalTo("This account is suspended."));
        // reinstated: may log in again, but the old login stays ended
        admin.as().body(Map.of("suspended", false)).put("/api/v1/admin/users/" + user.id())
                .then().statusCode(200).body("suspended", equalTo(false));
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(200);
        given().auth().oauth2(user.accessToken()).get("/api/v1/auth/me").then().statusCode(401);
    }

    @Test
    void admin_changes_roles_and_tier() {
        User user = Api.registerConsumer();
        User admin = Api.admin();
        admin.as().body(Map.of("roles", java.util.List.of("consumer", "provider"), "plan", "pro"))
                .put("/api/v1/admin/users/" + user.id())
                .then().statusCode(200).body("roles", equalTo(java.util.List.of("consumer", "provider")))
                .body("plan", equalTo("pro"));
        // roles are read fresh on every request: the old token already carries the new role
        given().auth().oauth2(user.accessToken()).get("/api/v1/auth/me").then().statusCode(200)
                .body("roles", hasItem("provider")).body("plan", equalTo("pro"));
        admin.as().queryParam("role", "provider").queryParam("email", user.email()).get("/api/v1/admin/users")
                .then().statusCode(200).body("id", hasItem(user.id()));
        admin.as().queryParam("role", "admin").get("/api/v1/admin/users")
                .then().statusCode(200).body("id", not(hasItem(user.id())));
    }

    @Test
    void health_reports_the_database_up() {
        given().get("/health").then().statusCode(200).body("status", equalTo("ok"))
                .body("checks.database.status", equalTo("up"));
    }

    static io.restassured.response.Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken))
                .post("/api/v1/auth/refresh");
    }
}
