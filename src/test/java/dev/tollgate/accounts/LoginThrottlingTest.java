package dev.tollgate.accounts;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Api.User;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class LoginThrottlingTest {

    @Test
    void wrong_password_and_unknown_user_get_the_same_401() {
        User user = Api.registerConsumer();
        Response wrongPassword = Api.login(user.username(), "wrong password!", Api.randomClientAddress());
        Response unknownUser = Api.login(Api.uniqueName("ghost"), "wrong password!", Api.randomClientAddress());
        wrongPassword.then().statusCode(401).contentType("application/problem+json");
        unknownUser.then().statusCode(401).contentType("application/problem+json");
        assertThat(wrongPassword.jsonPath().getString("detail")).isEqualTo(unknownUser.jsonPath().getString("detail"));
        assertThat(wrongPassword.jsonPath().getString("title")).isEqualTo(unknownUser.jsonPath().getString("title"));
    }

    @Test
    void five_failures_for_an_account_lock_it_even_for_the_right_password() {
        User user = Api.registerConsumer();
        for (int i = 0; i < 5; i++) {
            // from different addresses: the account limit alone must trigger
            Api.login(user.username(), "wrong password " + i, Api.randomClientAddress()).then().statusCode(401);
        }
        Response locked = Api.login(user.username(), user.password(), Api.randomClientAddress());
        locked.then().statusCode(429).contentType("application/problem+json").header("Retry-After", notNullValue());
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 15 * 60L);
        // by e-mail it is the same account
        Api.login(user.email(), user.password(), Api.randomClientAddress()).then().statusCode(429);
    }

    @Test
    void four_failures_do_not_lock_and_success_clears_them() {
        User user = Api.registerConsumer();
        for (int i = 0; i < 4; i++) {
            Api.login(user.username(), "wrong password " + i, Api.randomClientAddress()).then().statusCode(401);
        }
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(200);
        for (int i = 0; i < 4; i++) {
            Api.login(user.username(), "wrong password " + i, Api.randomClientAddress()).then().statusCode(401);
        }
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(200);
    }

    @Test
    void five_failures_from_one_address_lock_that_address_for_every_account() {
        String address = Api.randomClientAddress();
        for (int i = 0; i < 5; i++) {
            Api.login(Api.uniqueName("nobody"), "wrong password", address).then().statusCode(401);
        }
        User user = Api.registerConsumer();
        Api.login(user.username(), user.password(), address).then().statusCode(429)
                .body("status", equalTo(429)).header("Retry-After", notNullValue());
        // the same user from elsewhere is fine
        Api.login(user.username(), user.password(), Api.randomClientAddress()).then().statusCode(200);
    }
}
