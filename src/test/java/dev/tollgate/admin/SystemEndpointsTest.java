package dev.tollgate.admin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The system endpoints of issue #14: health for anyone; statistics, configuration, logs and the services restart for
 * admins; secrets never shown; a restart loses no usage or charges.
 */
@QuarkusTest
@TestProfile(SystemEndpointsTest.WithSecrets.class)
class SystemEndpointsTest extends WithUpstream {

    static final String NAMED_SECRET = "plain-value-of-a-named-secret";
    static final String STRIPE_LIKE = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    static final String WEBHOOK_LIKE = "whsec_5UmUT8kKZp2N7aXyQ3e";
    static final String URL_PASSWORD = "hunter2urlpass";
    static final String JWT_LIKE = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0tdGVzdCJ9.c2lnbmF0dXJlLW9mLWl0";

    /**
     * Its own profile: properties holding secrets, by name and by look, that /system/config must not show; and usage
     * and charges written only every minute, so that what a restart finds written it wrote itself.
     */
    public static class WithSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.metering.flush-interval", "60s", "tollgate.billing.settle-interval", "60s",
                    "tollgate.system-test.webhook-token", NAMED_SECRET,
                    "tollgate.system-test.notes", "rotate " + WEBHOOK_LIKE + " and " + STRIPE_LIKE + " soon",
                    "tollgate.system-test.upstream", "https://svc:" + URL_PASSWORD + "@upstream.example/x",
                    "tollgate.system-test.sample", JWT_LIKE);
        }
    }

    private static final Logger LOG = Logger.getLogger(SystemEndpointsTest.class);

    @Test
    void health_is_public_and_says_the_database_is_up() {
        given().get("/api/v1/system/health").then().statusCode(200).body("status", equalTo("ok"))
                .body("checks.database.status", equalTo("up"));
        JsonPath health = given().get("/api/v1/system/health").then().extract().jsonPath();
        assertThat(health.getString("version")).isNotBlank();
        assertThat(health.getString("timestamp")).isNotBlank();
        assertThat(health.getLong("uptime_seconds")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void stats_show_the_node_and_count_responses() {
        Api.User admin = Api.admin();
        JsonPath before = admin.as().get("/api/v1/system/stats").then().statusCode(200).extract().jsonPath();
        assertThat(before.getMap("$")).containsKeys("timestamp", "version", "uptime_seconds", "jvm", "cpu", "memory",
                "heap", "disk", "threads", "requests", "queues");
        assertThat(before.getInt("cpu.available_processors")).isPositive();
        assertThat(before.getLong("heap.used_bytes")).isPositive();
        assertThat(before.getLong("disk.total_bytes")).isPositive();
        assertThat(before.getString("disk.data_dir")).isEqualTo("target/test-data");
        assertThat(before.getInt("threads.live")).isPositive();
        assertThat(before.getString("jvm.version")).isEqualTo(Runtime.version().toString());
        assertThat(before.getList("queues.name")).contains("usage_events", "charges");
        assertThat(before.getInt("queues.find { it.name == 'usage_events' }.capacity")).isPositive();

        long requests = before.getLong("requests.last_minute.requests");
        long clientErrors = before.getLong("requests.last_minute.client_errors");
        long hour = before.getLong("requests.last_hour.requests");
        for (int i = 0; i < 5; i++) {
            given().get("/api/v1/system/health").then().statusCode(200);
        }
        given().get("/api/v1/no-such-thing").then().statusCode(404);

        JsonPath after = admin.as().get("/api/v1/system/stats").then().statusCode(200).extract().jsonPath();
        // the first stats call itself, five health checks and the 404
        assertThat(after.getLong("requests.last_minute.requests")).isGreaterThanOrEqualTo(requests + 7);
        assertThat(after.getLong("requests.last_minute.client_errors")).isGreaterThanOrEqualTo(clientErrors + 1);
        assertThat(after.getLong("requests.last_hour.requests")).isGreaterThanOrEqualTo(hour + 7);
        assertThat(after.getDouble("requests.last_hour.error_rate")).isBetween(0.0, 1.0);
    }

    @Test
    void config_shows_the_effective_properties_with_every_secret_redacted() {
        String body = Api.admin().as().get("/api/v1/system/config").then().statusCode(200).extract().asString();
        JsonPath config = JsonPath.from(body);
        assertThat(config.getList("profiles")).contains("test");
        Map<String, String> values = new java.util.HashMap<>();
        Map<String, String> sources = new java.util.HashMap<>();
        for (Map<String, String> p : config.<Map<String, String>>getList("properties")) {
            values.put(p.get("name"), p.get("value"));
            sources.put(p.get("name"), p.get("source"));
        }
        assertThat(values).containsEntry("tollgate.data-dir", "target/test-data")
                .containsEntry("tollgate.system-test.webhook-token", "[redacted]")
                .containsEntry("tollgate.admin.password", "[redacted]")
                .containsEntry("tollgate.system-test.sample", "[redacted]")
                .containsEntry("tollgate.system-test.upstream", "https://[redacted]@upstream.example/x")
                .containsEntry("tollgate.system-test.notes", "rotate [redacted] and [redacted] soon")
                .containsKey("quarkus.http.test-port").containsKey("quarkus.datasource.embedded.jdbc.url");
        assertThat(sources.get("tollgate.data-dir")).contains("application.properties");
        assertThat(body).doesNotContain(NAMED_SECRET, STRIPE_LIKE, WEBHOOK_LIKE, URL_PASSWORD, JWT_LIKE,
                "admin-password-for-tests");
    }

    @Test
    void logs_keep_recent_lines_filtered_by_request_and_level_without_secrets() {
        String requestId = "system-logs-" + UUID.randomUUID();
        String apiKey = "tg_" + UUID.randomUUID().toString().replace("-", "");
        MDC.put("request_id", requestId);
        try {
            LOG.infof("probe Authorization: Bearer %s X-API-Key: %s", JWT_LIKE, apiKey);
            LOG.warnf("probe db postgres://tollgate:%s@db.example/tollgate?password=%s secret %s", URL_PASSWORD,
                    NAMED_SECRET, STRIPE_LIKE);
        } finally {
            MDC.remove("request_id");
        }
        Api.User admin = Api.admin();
        String body = admin.as().queryParam("request_id", requestId).get("/api/v1/system/logs").then()
                .statusCode(200).extract().asString();
        JsonPath lines = JsonPath.from(body);
        assertThat(lines.getList("level")).containsExactly("INFO", "WARN");
        assertThat(lines.getList("request_id")).containsOnly(requestId);
        assertThat(lines.getList("logger")).containsOnly(SystemEndpointsTest.class.getName());
        assertThat(lines.getString("[0].message")).startsWith("probe").contains("[redacted]");
        assertThat(lines.getString("[0].thread")).isNotBlank();
        assertThat(lines.getString("[0].timestamp")).isNotBlank();
        assertThat(body).doesNotContain(JWT_LIKE, apiKey, URL_PASSWORD, NAMED_SECRET, STRIPE_LIKE);

        assertThat(admin.as().queryParam("request_id", requestId).queryParam("level", "warn")
                .get("/api/v1/system/logs").then().statusCode(200).extract().jsonPath().getList("level"))
                .containsExactly("WARN");
        String everything = admin.as().queryParam("lines", 2000).get("/api/v1/system/logs").then().statusCode(200)
                .extract().asString();
        assertThat(everything).contains(requestId).doesNotContain(JWT_LIKE, apiKey, URL_PASSWORD, NAMED_SECRET,
                STRIPE_LIKE);
        assertThat(admin.as().queryParam("lines", 1).get("/api/v1/system/logs").then().statusCode(200).extract()
                .jsonPath().getList("$")).hasSize(1);
    }

    @Test
    void bad_log_parameters_are_422_problems() {
        Api.User admin = Api.admin();
        for (Map<String, Object> query : List.<Map<String, Object>>of(Map.of("lines", 0), Map.of("lines", 2001),
                Map.of("lines", "many"), Map.of("level", "LOUD"), Map.of("request_id", "not a request id"))) {
            admin.as().queryParams(query).get("/api/v1/system/logs").then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(query.keySet().iterator().next()));
        }
    }

    @Test
    void a_restart_writes_out_usage_and_charges_and_rebuilds_the_snapshots() {
        PublishedApi api = Gateway.publish(upstream.baseUrl() + "/echo");
        Caller caller = Gateway.payingCaller(api, "0.01", "5");
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "restart-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            requestIds.add(id);
            caller.call().header("X-Request-ID", id).get("/gw/" + api.slug() + "/x").then().statusCode(200);
        }

        JsonPath restart = Api.admin().as().post("/api/v1/system/restart").then().statusCode(200).extract()
                .jsonPath();
        assertThat(restart.getBoolean("complete")).isTrue();
        assertThat(restart.getList("drained.queue")).contains("usage_events", "charges");
        assertThat(restart.getList("drained.drained")).containsOnly(true);
        assertThat(restart.getMap("reloaded")).containsKeys("catalog", "keys", "accounts", "models", "marketplace");
        assertThat(restart.getLong("duration_ms")).isGreaterThanOrEqualTo(restart.getLong("reload_ms"));
        assertThat(restart.getString("started_at")).isNotBlank();

        // no waiting: the restart answered only once everything was written
        JsonPath logs = api.provider().as().queryParam("limit", 100).get("/api/v1/apis/" + api.id() + "/logs").then()
                .statusCode(200).extract().jsonPath();
        assertThat(logs.getList("request_id")).containsExactlyInAnyOrderElementsOf(requestIds);
        JsonPath credits = caller.consumer().as().get("/api/v1/users/me/credits").then().statusCode(200).extract()
                .jsonPath()
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        assertThat(new BigDecimal(credits.get("balance").toString())).isEqualByComparingTo("4.80");

        caller.call().get("/gw/" + api.slug() + "/x").then().statusCode(200);
    }
}
