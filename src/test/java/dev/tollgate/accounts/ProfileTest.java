package dev.tollgate.accounts;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Api.User;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class ProfileTest {

    @Test
    void changes_username_and_email() {
        User user = Api.registerConsumer();
        String name = Api.uniqueName("renamed");
        user.as().body(Map.of("username", name, "email", name + "@Example.org")).put("/api/v1/users/me")
                .then().statusCode(200).body("username", equalTo(name))
                .body("email", equalTo(name.toLowerCase() + "@example.org"));
        Api.login(name, user.password(), Api.randomClientAddress()).then().statusCode(200);
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(401);
    }

    @Test
    void taken_username_or_email_is_409_and_changes_nothing() {
        User user = Api.registerConsumer();
        User other = Api.registerConsumer();
        user.as().body(Map.of("username", other.username().toUpperCase())).put("/api/v1/users/me")
                .then().statusCode(409).contentType("application/problem+json");
        user.as().body(Map.of("email", other.email(), "username", Api.uniqueName("x"))).put("/api/v1/users/me")
                .then().statusCode(409);
        user.as().get("/api/v1/users/me").then().body("username", equalTo(user.username()))
                .body("email", equalTo(user.email()));
    }

    @Test
    void invalid_values_are_422_and_change_nothing() {
        User user = Api.registerConsumer();
        user.as().body(Map.of("username", "x", "email", "nope")).put("/api/v1/users/me")
                .then().statusCode(422).body("errors.field", hasItems("username", "email"));
        user.as().get("/api/v1/users/me").then().body("username", equalTo(user.username()));
    }

    @Test
    void password_change_needs_the_current_password_and_ends_other_logins() {
        User user = Api.registerConsumer();
        String otherLogin = Api.login(user.username(), user.password(), Api.randomClientAddress())
                .then().statusCode(200).extract().path("access_token");
        String newPassword = "a brand new password";
        user.as().body(Map.of("password", newPassword)).put("/api/v1/users/me")
                .then().statusCode(422).body("errors.field", hasItem("current_password"));
        user.as().body(Map.of("password", newPassword, "current_password", "not my password"))
                .put("/api/v1/users/me").then().statusCode(403).contentType("application/problem+json");
        Api.login(user.username(), newPassword, Api.randomClientAddress()).then().statusCode(401);
        user.as().body(Map.of("password", "short", "current_password", user.password()))
                .put("/api/v1/users/me").then().statusCode(422);

        user.as().body(Map.of("password", newPassword, "current_password", user.password()))
                .put("/api/v1/users/me").then().statusCode(200);
        Api.login(user.username(), newPassword, Api.randomClientAddress()).then().statusCode(200);
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(401);
        // this login continues; the other one is over
        user.as().get("/api/v1/users/me").then().statusCode(200);
        given().auth().oauth2(otherLogin).get("/api/v1/users/me").then().statusCode(401);
    }

    @Test
    void a_consumer_becomes_a_provider() {
        User user = Api.registerConsumer();
        user.as().body(Map.of("become_provider", true)).put("/api/v1/users/me")
                .then().statusCode(200).body("roles", equalTo(java.util.List.of("consumer", "provider")));
        user.as().get("/api/v1/auth/me").then().body("roles", hasItem("provider"));
    }

    @Test
    void requires_a_token() {
        given().get("/api/v1/users/me").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body("{}").put("/api/v1/users/me").then().statusCode(401);
        given().auth().oauth2("not.a.jwt").get("/api/v1/users/me").then().statusCode(401);
    }
}
