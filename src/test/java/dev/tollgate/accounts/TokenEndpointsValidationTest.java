package dev.tollgate.accounts;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Api.User;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class TokenEndpointsValidationTest {

    @Test
    void login_without_fields_is_422_naming_them() {
        given().contentType("application/json").header("X-Forwarded-For", Api.randomClientAddress()).body("{}")
                .post("/api/v1/auth/login").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("username")).body("detail", containsString("password"));
    }

    @Test
    void refresh_without_a_token_is_422() {
        given().contentType("application/json").body("{}").post("/api/v1/auth/refresh").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("refresh_token"));
    }

    @Test
    void a_made_up_refresh_token_is_401_and_leaves_real_logins_alone() {
        User user = Api.registerConsumer();
        given().contentType("application/json").body("{\"refresh_token\":\"not-a-token-we-issued\"}")
                .post("/api/v1/auth/refresh").then().statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401));
        given().contentType("application/json").body("{\"refresh_token\":\"" + user.refreshToken() + "\"}")
                .post("/api/v1/auth/refresh").then().statusCode(200);
    }
}
