package dev.tollgate.keys;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.platform.Secrets;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** API keys over HTTP: the secret is shown once and stored only as a hash; bad input creates nothing. */
@QuarkusTest
class ApiKeysTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void the_secret_is_shown_once_stored_as_a_sha256_hash_and_never_listed() throws Exception {
        Api.User consumer = Api.registerConsumer();
        JsonPath created = consumer.as().body(Map.of("name", "laptop")).post("/api/v1/api-keys").then()
                .statusCode(201).header("Cache-Control", "no-store")
                .header("Location", containsString("/api/v1/api-keys/")).extract().jsonPath();
        String key = created.getString("key");
        assertThat(key).startsWith("tg_").hasSizeGreaterThanOrEqualTo(3 + 43);
        assertThat(created.getString("prefix")).isEqualTo(key.substring(0, 11));
        assertThat(created.getList("api_ids")).isEmpty();
        assertThat(created.getString("created_at")).isNotNull();

        String listed = consumer.as().get("/api/v1/api-keys").then().statusCode(200)
                .body("[0].id", equalTo(created.getString("id"))).body("[0].prefix", equalTo(key.substring(0, 11)))
                .body("[0]", not(org.hamcrest.Matchers.hasKey("key"))).extract().asString();
        assertThat(listed).doesNotContain(key);

        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement("select key_hash from api_keys where id = ?")) {
            select.setObject(1, java.util.UUID.fromString(created.getString("id")));
            try (var rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(Secrets.sha256Hex(key)).doesNotContain(key);
            }
        }
    }

    @Test
    void two_keys_never_share_a_secret() {
        Api.User consumer = Api.registerConsumer();
        String first = consumer.as().body(Map.of("name", "a")).post("/api/v1/api-keys").then().statusCode(201)
                .extract().jsonPath().getString("key");
        String second = consumer.as().body(Map.of("name", "b")).post("/api/v1/api-keys").then().statusCode(201)
                .extract().jsonPath().getString("key");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void scoped_and_expiring_keys_are_described() {
        PublishedApi api = Gateway.publish("http://127.0.0.1:9");
        Api.User consumer = Api.registerConsumer();
        String expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        consumer.as().body(Map.of("name", "scoped", "api_ids", List.of(api.id()), "expires_at", expires))
                .post("/api/v1/api-keys").then().statusCode(201).body("api_ids", equalTo(List.of(api.id())))
                .body("expires_at", equalTo(expires));
    }

    @Test
    void bad_keys_are_422_naming_the_field_and_create_nothing() {
        Api.User consumer = Api.registerConsumer();
        consumer.as().body("{}").post("/api/v1/api-keys").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("name"));
        consumer.as().body(Map.of("name", "x".repeat(101))).post("/api/v1/api-keys").then().statusCode(422)
                .body("errors.field", hasItem("name"));
        consumer.as().body(Map.of("name", "k", "api_ids", List.of("00000000-0000-0000-0000-000000000001")))
                .post("/api/v1/api-keys").then().statusCode(422).body("errors.field", hasItem("api_ids"))
                .body("detail", containsString("00000000-0000-0000-0000-000000000001"));
        consumer.as().body(Map.of("name", "k", "expires_at", Instant.now().minusSeconds(60).toString()))
                .post("/api/v1/api-keys").then().statusCode(422).body("errors.field", hasItem("expires_at"));
        consumer.as().body(Map.of("name", "k", "expires_at", "next tuesday")).post("/api/v1/api-keys").then()
                .statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("expires_at"));
        consumer.as().get("/api/v1/api-keys?include_revoked=true").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void revoke_is_idempotent_rotate_gives_a_new_secret_and_others_cannot_touch_my_keys() {
        Api.User consumer = Api.registerConsumer();
        JsonPath created = consumer.as().body(Map.of("name", "ci")).post("/api/v1/api-keys").then()
                .statusCode(201).extract().jsonPath();
        String id = created.getString("id");

        Api.User stranger = Api.registerConsumer();
        stranger.as().delete("/api/v1/api-keys/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        stranger.as().post("/api/v1/api-keys/" + id + "/rotate").then().statusCode(404);

        JsonPath rotated = consumer.as().post("/api/v1/api-keys/" + id + "/rotate").then().statusCode(200)
                .header("Cache-Control", "no-store").body("id", equalTo(id)).body("rotated_at", notNullValue())
                .extract().jsonPath();
        assertThat(rotated.getString("key")).startsWith("tg_").isNotEqualTo(created.getString("key"));
        assertThat(rotated.getString("prefix")).isEqualTo(rotated.getString("key").substring(0, 11));

        consumer.as().delete("/api/v1/api-keys/" + id).then().statusCode(204);
        consumer.as().delete("/api/v1/api-keys/" + id).then().statusCode(204);
        consumer.as().post("/api/v1/api-keys/" + id + "/rotate").then().statusCode(409)
                .body("detail", containsString("revoked"));
        consumer.as().get("/api/v1/api-keys").then().body("size()", equalTo(0));
        consumer.as().get("/api/v1/api-keys?include_revoked=true").then().body("size()", equalTo(1))
                .body("[0].revoked_at", notNullValue());
    }
}
