package dev.tollgate.keys;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.gateway.ModelLimit;
import dev.tollgate.platform.Secrets;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * A key's AI settings (model scope, per-model limits, monthly spend cap) over HTTP: stored, shown, changed by PATCH,
 * validated, and published in the key snapshot the AI proxy reads. Run on each database by the subclasses.
 */
abstract class ApiKeyAiSettingsScenarios {

    private static final String KEYS = "/api/v1/api-keys";

    @Inject
    GatewayState gateway;

    @Inject
    AgroalDataSource database;

    /** The created key: its id and secret. */
    private record Created(String id, String secret) {
    }

    private static Created create(Api.User owner, Map<String, Object> body) {
        JsonPath json = owner.as().body(body).post(KEYS).then().statusCode(201).extract().jsonPath();
        return new Created(json.getString("id"), json.getString("key"));
    }

    private static Map<String, Object> fullSettings(String name) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("*", Map.of("requests_per_minute", 60));
        limits.put("gpt-4o-mini", Map.of("requests_per_minute", 10, "tokens_per_minute", 20000));
        limits.put("claude-3-5-haiku", Map.of());
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("model_ids", List.of("gpt-4o-mini", "claude-3-5-haiku", "gpt-4o-mini", "openai:gpt-4"));
        body.put("model_limits", limits);
        body.put("monthly_spend_cap", 12.5);
        return body;
    }

    /** The key as listed by its owner, as a map (every field shown). */
    private static Map<String, Object> listed(Api.User owner, String id) {
        List<Map<String, Object>> keys = owner.as().get(KEYS).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.id == '" + id + "' }");
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    /** The key's rule in the gateway snapshot once it satisfies {@code until} (the change feed is asynchronous). */
    private ApiKeyRule published(String secret, Predicate<ApiKeyRule> until) {
        String hash = Secrets.sha256Hex(secret);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        ApiKeyRule rule = gateway.keys().byHash().get(hash);
        while ((rule == null || !until.test(rule)) && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            rule = gateway.keys().byHash().get(hash);
        }
        assertThat(rule).as("the key's rule in the snapshot").isNotNull();
        return rule;
    }

    private Long storedCapMicros(String id) throws SQLException {
        try (var connection = database.getConnection();
                var select = connection.prepareStatement("select monthly_spend_cap from api_keys where id = ?")) {
            select.setObject(1, UUID.fromString(id));
            try (var rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                long micros = rs.getLong(1);
                return rs.wasNull() ? null : micros;
            }
        }
    }

    @Test
    void settings_given_at_creation_are_shown_listed_stored_as_micros_and_published() throws SQLException {
        Api.User consumer = Api.registerConsumer();
        JsonPath created = consumer.as().body(fullSettings("ai")).post(KEYS).then().statusCode(201)
                .body("model_ids", equalTo(List.of("gpt-4o-mini", "claude-3-5-haiku", "openai:gpt-4")))
                .body("model_limits.'*'.requests_per_minute", equalTo(60))
                .body("model_limits.'*'", not(hasKey("tokens_per_minute")))
                .body("model_limits.'gpt-4o-mini'.requests_per_minute", equalTo(10))
                .body("model_limits.'gpt-4o-mini'.tokens_per_minute", equalTo(20000))
                .body("model_limits.'claude-3-5-haiku'", equalTo(Map.of()))
                .extract().jsonPath();
        assertThat(created.getString("monthly_spend_cap")).isEqualTo("12.5");
        String id = created.getString("id");
        String secret = created.getString("key");

        Map<String, Object> listed = listed(consumer, id);
        assertThat(listed).containsEntry("model_ids", List.of("gpt-4o-mini", "claude-3-5-haiku", "openai:gpt-4"))
                .containsEntry("model_limits", created.getMap("model_limits")).doesNotContainKey("key");
        assertThat(listed.get("monthly_spend_cap")).hasToString("12.5");
        assertThat(storedCapMicros(id)).isEqualTo(12_500_000L);

        ApiKeyRule rule = published(secret, r -> true);
        assertThat(rule.modelNames()).containsExactlyInAnyOrder("gpt-4o-mini", "claude-3-5-haiku", "openai:gpt-4");
        assertThat(rule.allowsModel("gpt-4o-mini")).isTrue();
        assertThat(rule.allowsModel("openai:gpt-4")).isTrue();
        assertThat(rule.allowsModel("gpt-4o")).isFalse();
        assertThat(rule.limitFor("gpt-4o-mini")).isEqualTo(new ModelLimit(10, 20_000));
        assertThat(rule.limitFor("claude-3-5-haiku")).as("an own entry without limits wins over the default")
                .isEqualTo(ModelLimit.NONE);
        assertThat(rule.limitFor("openai:gpt-4")).as("the * default").isEqualTo(new ModelLimit(60, 0));
        assertThat(rule.monthlySpendCapMicros()).isEqualTo(12_500_000L);
        assertThat(rule.hasSpendCap()).isTrue();
    }

    @Test
    void a_key_without_settings_may_call_every_model_without_limits_or_cap_and_a_zero_cap_is_a_cap()
            throws SQLException {
        Api.User consumer = Api.registerConsumer();
        JsonPath plain = consumer.as().body(Map.of("name", "plain")).post(KEYS).then().statusCode(201)
                .body("model_ids", equalTo(List.of())).body("model_limits", equalTo(Map.of()))
                .body("$", hasKey("monthly_spend_cap")).body("monthly_spend_cap", nullValue()).extract()
                .jsonPath();
        ApiKeyRule open = published(plain.getString("key"), r -> true);
        assertThat(open.modelNames()).isEmpty();
        assertThat(open.allowsModel("anything-at-all")).isTrue();
        assertThat(open.limitFor("anything-at-all")).isNull();
        assertThat(open.monthlySpendCapMicros()).isEqualTo(ApiKeyRule.NO_SPEND_CAP);
        assertThat(open.hasSpendCap()).isFalse();
        assertThat(storedCapMicros(plain.getString("id"))).isNull();

        JsonPath zero = consumer.as().body(Map.of("name", "no spending", "monthly_spend_cap", 0)).post(KEYS).then()
                .statusCode(201).extract().jsonPath();
        assertThat(zero.getString("monthly_spend_cap")).isEqualTo("0");
        ApiKeyRule closed = published(zero.getString("key"), r -> true);
        assertThat(closed.monthlySpendCapMicros()).isZero();
        assertThat(closed.hasSpendCap()).isTrue();
        assertThat(storedCapMicros(zero.getString("id"))).isZero();
    }

    @Test
    void patch_changes_the_fields_sent_leaves_the_rest_and_reaches_the_snapshot() throws SQLException {
        Api.User consumer = Api.registerConsumer();
        Created key = create(consumer, fullSettings("before"));
        Map<String, Object> before = listed(consumer, key.id());

        // only the cap changes
        consumer.as().body(Map.of("monthly_spend_cap", 0.000001)).patch(KEYS + "/" + key.id()).then()
                .statusCode(200).body("id", equalTo(key.id())).body("$", not(hasKey("key")))
                .body("name", equalTo("before"))
                .body("model_ids", equalTo(before.get("model_ids")))
                .body("model_limits", equalTo(before.get("model_limits")));
        Map<String, Object> capped = listed(consumer, key.id());
        assertThat(new BigDecimal(capped.get("monthly_spend_cap").toString())).isEqualByComparingTo("0.000001");
        Map<String, Object> rest = new HashMap<>(capped);
        rest.remove("monthly_spend_cap");
        Map<String, Object> restBefore = new HashMap<>(before);
        restBefore.remove("monthly_spend_cap");
        assertThat(rest).isEqualTo(restBefore);
        assertThat(published(key.secret(), r -> r.monthlySpendCapMicros() == 1).limitFor("gpt-4o-mini"))
                .isEqualTo(new ModelLimit(10, 20_000));

        // name, API scope and model scope change; limits and cap stay
        PublishedApi api = Gateway.publish("http://127.0.0.1:9");
        consumer.as().body(Map.of("name", "after", "api_ids", List.of(api.id()), "model_ids", List.of("gpt-4o")))
                .patch(KEYS + "/" + key.id()).then().statusCode(200).body("name", equalTo("after"))
                .body("api_ids", equalTo(List.of(api.id()))).body("model_ids", equalTo(List.of("gpt-4o")))
                .body("model_limits", equalTo(before.get("model_limits")));
        ApiKeyRule scoped = published(key.secret(), r -> r.modelNames().equals(Set.of("gpt-4o")));
        assertThat(scoped.modelNames()).containsExactly("gpt-4o");
        assertThat(scoped.allowsModel("gpt-4o-mini")).isFalse();
        assertThat(scoped.apiIds()).containsExactly(UUID.fromString(api.id()));
        assertThat(scoped.monthlySpendCapMicros()).isEqualTo(1);

        // new limits replace the old ones; null clears the cap and the model scope
        Map<String, Object> clearing = new HashMap<>();
        clearing.put("model_limits", Map.of("gpt-4o", Map.of("tokens_per_minute", 5000)));
        clearing.put("monthly_spend_cap", null);
        clearing.put("model_ids", null);
        consumer.as().body(clearing).patch(KEYS + "/" + key.id()).then().statusCode(200)
                .body("monthly_spend_cap", nullValue()).body("model_ids", equalTo(List.of()))
                .body("model_limits", equalTo(Map.of("gpt-4o", Map.of("tokens_per_minute", 5000))))
                .body("name", equalTo("after")).body("api_ids", equalTo(List.of(api.id())));
        assertThat(storedCapMicros(key.id())).isNull();
        ApiKeyRule cleared = published(key.secret(), r -> !r.hasSpendCap());
        assertThat(cleared.monthlySpendCapMicros()).isEqualTo(ApiKeyRule.NO_SPEND_CAP);
        assertThat(cleared.modelNames()).isEmpty();
        assertThat(cleared.limitFor("gpt-4o")).isEqualTo(new ModelLimit(0, 5000));
        assertThat(cleared.limitFor("gpt-4o-mini")).as("the * default went with the old limits").isNull();

        // an empty PATCH changes nothing
        Map<String, Object> now = listed(consumer, key.id());
        consumer.as().body("{}").patch(KEYS + "/" + key.id()).then().statusCode(200);
        assertThat(listed(consumer, key.id())).isEqualTo(now);
    }

    @Test
    void bad_settings_at_creation_are_422_naming_the_field_and_create_nothing() {
        Api.User consumer = Api.registerConsumer();
        for (BadInput bad : badInputs()) {
            Map<String, Object> body = new HashMap<>(bad.body());
            body.put("name", "k");
            consumer.as().body(body).post(KEYS).then().statusCode(422).contentType("application/problem+json")
                    .body("errors.field", hasItem(bad.field()));
        }
        consumer.as().body(Map.of("name", "k", "monthly_spend_cap", 1.0000001)).post(KEYS).then().statusCode(422)
                .body("errors.field", hasItem("monthly_spend_cap")).body("detail", containsString("6 decimals"));
        consumer.as().get(KEYS + "?include_revoked=true").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void bad_patches_are_422_naming_the_field_and_change_nothing() {
        Api.User consumer = Api.registerConsumer();
        Created key = create(consumer, fullSettings("kept"));
        Map<String, Object> before = listed(consumer, key.id());
        ApiKeyRule ruleBefore = published(key.secret(), r -> true);

        for (BadInput bad : badInputs()) {
            consumer.as().body(bad.body()).patch(KEYS + "/" + key.id()).then().statusCode(422)
                    .contentType("application/problem+json").body("errors.field", hasItem(bad.field()));
        }
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        consumer.as().body(nullName).patch(KEYS + "/" + key.id()).then().statusCode(422)
                .body("errors.field", hasItem("name"));
        consumer.as().body(Map.of("name", "x".repeat(101))).patch(KEYS + "/" + key.id()).then().statusCode(422)
                .body("errors.field", hasItem("name"));
        consumer.as().body(Map.of("api_ids", List.of("00000000-0000-0000-0000-000000000001")))
                .patch(KEYS + "/" + key.id()).then().statusCode(422).body("errors.field", hasItem("api_ids"));
        // a valid field beside a bad one is not applied either
        consumer.as().body(Map.of("name", "changed", "monthly_spend_cap", -1)).patch(KEYS + "/" + key.id()).then()
                .statusCode(422).body("errors.field", equalTo(List.of("monthly_spend_cap")));
        consumer.as().patch(KEYS + "/" + key.id()).then().statusCode(422);

        assertThat(listed(consumer, key.id())).isEqualTo(before);
        assertThat(gateway.keys().byHash().get(Secrets.sha256Hex(key.secret()))).isEqualTo(ruleBefore);
    }

    @Test
    void only_the_owner_can_change_a_key_and_a_revoked_key_cannot_be_changed() {
        Api.User owner = Api.registerConsumer();
        Created key = create(owner, fullSettings("mine"));
        Map<String, Object> before = listed(owner, key.id());

        Api.User stranger = Api.registerConsumer();
        stranger.as().body(Map.of("monthly_spend_cap", 1000, "model_ids", List.of())).patch(KEYS + "/" + key.id())
                .then().statusCode(404).contentType("application/problem+json");
        owner.as().body(Map.of("name", "x")).patch(KEYS + "/" + UUID.randomUUID()).then().statusCode(404);
        assertThat(listed(owner, key.id())).isEqualTo(before);
        assertThat(published(key.secret(), r -> true).monthlySpendCapMicros()).isEqualTo(12_500_000L);

        owner.as().delete(KEYS + "/" + key.id()).then().statusCode(204);
        owner.as().body(Map.of("name", "revived")).patch(KEYS + "/" + key.id()).then().statusCode(409)
                .body("detail", containsString("revoked"));
        owner.as().get(KEYS + "?include_revoked=true").then().body("[0].name", equalTo("mine"));
    }

    /** A body with one bad field and the field the 422 must name. */
    private record BadInput(Map<String, Object> body, String field) {
    }

    private static List<BadInput> badInputs() {
        Map<String, Object> nullLimit = new HashMap<>();
        nullLimit.put("gpt-4o", null);
        return List.of(
                new BadInput(Map.of("model_limits", Map.of("gpt-4o", Map.of("requests_per_minute", -1))),
                        "model_limits.gpt-4o.requests_per_minute"),
                new BadInput(Map.of("model_limits", Map.of("*", Map.of("tokens_per_minute", 0))),
                        "model_limits.*.tokens_per_minute"),
                new BadInput(Map.of("model_limits", Map.of("gpt-4o", Map.of("requests_per_minute", "many"))),
                        "model_limits.gpt-4o.requests_per_minute"),
                new BadInput(Map.of("model_limits", Map.of("gpt-4o", Map.of("rpm", 5))), "model_limits.gpt-4o.rpm"),
                new BadInput(Map.of("model_limits", Map.of("not a model", Map.of())), "model_limits"),
                new BadInput(Map.of("model_limits", nullLimit), "model_limits.gpt-4o"),
                new BadInput(Map.of("model_limits", List.of("gpt-4o")), "model_limits"),
                new BadInput(Map.of("monthly_spend_cap", 0.0000001), "monthly_spend_cap"),
                new BadInput(Map.of("monthly_spend_cap", -5), "monthly_spend_cap"),
                new BadInput(Map.of("monthly_spend_cap", "lots"), "monthly_spend_cap"),
                new BadInput(Map.of("model_ids", "gpt-4o"), "model_ids"),
                new BadInput(Map.of("model_ids", List.of("gpt-4o", "m".repeat(101))), "model_ids[1]"),
                new BadInput(Map.of("model_ids", List.of("")), "model_ids[0]"),
                new BadInput(Map.of("model_ids", List.of("*")), "model_ids[0]"),
                new BadInput(Map.of("model_id", List.of("gpt-4o")), "model_id"));
    }
}
