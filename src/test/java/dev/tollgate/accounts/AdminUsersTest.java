package dev.tollgate.accounts;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Api.User;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class AdminUsersTest {

    @Test
    void non_admins_get_403_and_anonymous_401() {
        User user = Api.registerConsumer();
        user.as().get("/api/v1/admin/users").then().statusCode(403).contentType("application/problem+json");
        user.as().body(Map.of("suspended", true)).put("/api/v1/admin/users/" + user.id()).then().statusCode(403);
        given().get("/api/v1/admin/users").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void lists_with_filters_and_paging() {
        String marker = Api.uniqueName("page").toLowerCase();
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json").body(Map.of("email", marker + i + "@example.com", "username",
                    Api.uniqueName("pg"), "password", Api.PASSWORD)).post("/api/v1/auth/register")
                    .then().statusCode(201);
        }
        User admin = Api.admin();
        Response all = admin.as().queryParam("email", marker).get("/api/v1/admin/users");
        all.then().statusCode(200).body("", hasSize(3)).header("X-Total-Count", "3")
                .body("email", everyItem(org.hamcrest.Matchers.startsWith(marker)));
        assertThat(all.asString()).doesNotContain("password");
        List<String> ids = all.jsonPath().getList("id");
        admin.as().queryParam("email", marker).queryParam("skip", 1).queryParam("limit", 1)
                .get("/api/v1/admin/users").then().statusCode(200).body("", hasSize(1))
                .body("[0].id", equalTo(ids.get(1))).header("X-Total-Count", "3");
        admin.as().queryParam("role", "admin").get("/api/v1/admin/users")
                .then().statusCode(200).body("username", hasItem("admin"));
    }

    @Test
    void bad_list_parameters_are_422() {
        User admin = Api.admin();
        admin.as().queryParam("limit", 0).get("/api/v1/admin/users").then().statusCode(422);
        admin.as().queryParam("limit", 5000).get("/api/v1/admin/users").then().statusCode(422);
        admin.as().queryParam("skip", -1).get("/api/v1/admin/users").then().statusCode(422);
        admin.as().queryParam("role", "wizard").get("/api/v1/admin/users").then().statusCode(422)
                .body("errors.field", hasItem("role"));
    }

    @Test
    void invalid_changes_are_422_and_change_nothing() {
        User user = Api.registerConsumer();
        User admin = Api.admin();
        admin.as().body(Map.of("roles", List.of("consumer", "wizard"), "suspended", true))
                .put("/api/v1/admin/users/" + user.id()).then().statusCode(422)
                .body("errors.field", hasItem("roles"));
        admin.as().body(Map.of("plan", "platinum")).put("/api/v1/admin/users/" + user.id())
                .then().statusCode(422).body("errors.field", hasItem("plan"));
        admin.as().body(Map.of("roles", List.of())).put("/api/v1/admin/users/" + user.id()).then().statusCode(422);
        admin.as().get("/api/v1/admin/users/" + user.id()).then().statusCode(200)
                .body("roles", equalTo(List.of("consumer"))).body("suspended", equalTo(false))
                .body("plan", equalTo("free"));
        user.as().get("/api/v1/users/me").then().statusCode(200);
    }

    @Test
    void unknown_user_is_404() {
        User admin = Api.admin();
        admin.as().body(Map.of("suspended", true))
                .put("/api/v1/admin/users/00000000-0000-0000-0000-000000000001").then().statusCode(404)
                .contentType("application/problem+json");
        admin.as().get("/api/v1/admin/users/not-a-uuid").then().statusCode(404);
    }

    @Test
    void an_admin_cannot_lock_themselves_out() {
        User admin = Api.admin();
        admin.as().body(Map.of("suspended", true)).put("/api/v1/admin/users/" + admin.id()).then().statusCode(409);
        admin.as().body(Map.of("roles", List.of("consumer"))).put("/api/v1/admin/users/" + admin.id())
                .then().statusCode(409);
        admin.as().get("/api/v1/admin/users/" + admin.id()).then().statusCode(200)
                .body("roles", hasItem("admin")).body("suspended", equalTo(false));
    }

    @Test
    void granting_admin_takes_effect_on_the_existing_token() {
        User user = Api.registerConsumer();
        user.as().get("/api/v1/admin/users").then().statusCode(403);
        Api.admin().as().body(Map.of("roles", List.of("consumer", "admin"))).put("/api/v1/admin/users/" + user.id())
                .then().statusCode(200);
        user.as().get("/api/v1/admin/users").then().statusCode(200);
    }
}
