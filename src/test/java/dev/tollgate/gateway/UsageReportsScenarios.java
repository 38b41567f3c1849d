package dev.tollgate.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Every call becomes one usage event, visible in logs, metrics and usage reports within five seconds. */
abstract class UsageReportsScenarios extends WithUpstream {

    @Test
    void calls_show_up_in_logs_metrics_and_usage_within_five_seconds() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        long started = System.currentTimeMillis();
        caller.call().header("X-Request-ID", "usage-1").body("12345").post("/gw/" + api.slug() + "/echo/a")
                .then().statusCode(200);
        caller.call().header("X-Request-ID", "usage-2").get("/gw/" + api.slug() + "/status/500").then()
                .statusCode(500);
        caller.call().header("X-Request-ID", "usage-3").get("/gw/" + api.slug() + "/status/404").then()
                .statusCode(404);

        JsonPath logs = awaitLogs(api, 3);
        assertThat(System.currentTimeMillis() - started).isLessThan(5_000);
        assertThat(logs.getList("request_id")).containsExactly("usage-3", "usage-2", "usage-1");
        Map<String, Object> first = logs.getMap("[2]");
        assertThat(first).containsEntry("method", "POST").containsEntry("path", "/gw/" + api.slug() + "/echo/a")
                .containsEntry("status", 200).containsEntry("key_id", caller.keyId())
                .containsEntry("consumer_id", caller.consumer().id()).containsEntry("plan_id", api.defaultPlanId())
                .containsEntry("bytes_in", 5).containsKeys("latency_ms", "upstream_latency_ms", "bytes_out", "at");
        assertThat(((Number) first.get("bytes_out")).longValue()).isPositive();

        api.provider().as().queryParam("status", "5xx").get("/api/v1/apis/" + api.id() + "/logs").then()
                .statusCode(200).header("X-Total-Count", "1");
        api.provider().as().queryParam("status", "404").get("/api/v1/apis/" + api.id() + "/logs").then()
                .statusCode(200).header("X-Total-Count", "1");
        api.provider().as().queryParam("skip", 1).queryParam("limit", 1).get("/api/v1/apis/" + api.id() + "/logs")
                .then().statusCode(200).header("X-Total-Count", "3");

        JsonPath metrics = api.provider().as().queryParam("window", "1h").get("/api/v1/apis/" + api.id() + "/metrics")
                .then().statusCode(200).extract().jsonPath();
        assertThat(metrics.getLong("calls")).isEqualTo(3);
        assertThat(metrics.getLong("errors")).isEqualTo(2);
        assertThat(metrics.getLong("server_errors")).isEqualTo(1);
        assertThat(metrics.getDouble("error_rate")).isEqualTo(0.6667);
        assertThat(metrics.getMap("latency")).containsKeys("avg", "p50", "p95", "p99");

        JsonPath usage = caller.consumer().as().get("/api/v1/users/me/usage").then().statusCode(200).extract()
                .jsonPath();
        assertThat(usage.getLong("calls")).isEqualTo(3);
        assertThat(usage.getString("apis[0].api_slug")).isEqualTo(api.slug());
        assertThat(usage.getLong("apis[0].errors")).isEqualTo(2);

        String lastUsed = null;
        for (int i = 0; i < 50 && lastUsed == null; i++) {
            lastUsed = caller.consumer().as().get("/api/v1/api-keys").then().statusCode(200).extract().jsonPath()
                    .getString("[0].last_used_at");
            Thread.sleep(100);
        }
        assertThat(lastUsed).isNotNull();
    }

    @Test
    void refused_calls_of_a_known_key_are_logged_too() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        api.provider().as().post("/api/v1/apis/" + api.id() + "/pause").then().statusCode(200);
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(503);
        JsonPath logs = awaitLogs(api, 1);
        assertThat(logs.getInt("[0].status")).isEqualTo(503);
        assertThat(logs.getMap("[0]")).doesNotContainKey("upstream_latency_ms");
    }

    @Test
    void only_the_owner_or_an_admin_reads_an_apis_logs_and_metrics() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Api.User stranger = Api.registerConsumer();
        stranger.as().get("/api/v1/apis/" + api.id() + "/logs").then().statusCode(403);
        stranger.as().get("/api/v1/apis/" + api.id() + "/metrics").then().statusCode(403);
        Api.admin().as().get("/api/v1/apis/" + api.id() + "/metrics").then().statusCode(200);
    }

    @Test
    void bad_report_parameters_are_422() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        api.provider().as().queryParam("window", "2y").get("/api/v1/apis/" + api.id() + "/metrics").then()
                .statusCode(422).body("detail", containsString("window"));
        api.provider().as().queryParam("status", "abc").get("/api/v1/apis/" + api.id() + "/logs").then()
                .statusCode(422).body("detail", containsString("status"));
        api.provider().as().queryParam("limit", 0).get("/api/v1/apis/" + api.id() + "/logs").then().statusCode(422);
        api.provider().as().queryParam("window", "1y").get("/api/v1/users/me/usage").then().statusCode(422);
    }

    @Test
    void logs_read_a_time_range_and_refuse_a_bad_one() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        Instant before = Instant.now().minusSeconds(1);
        caller.call().header("X-Request-ID", "range-1").get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        awaitLogs(api, 1);
        String logs = "/api/v1/apis/" + api.id() + "/logs";
        api.provider().as().queryParam("from", before.toString()).get(logs).then().statusCode(200)
                .header("X-Total-Count", "1").body("[0].request_id", equalTo("range-1"));
        api.provider().as().queryParam("to", before.toString()).get(logs).then().statusCode(200)
                .header("X-Total-Count", "0");
        api.provider().as().queryParam("from", before.plusSeconds(3600).toString()).get(logs).then().statusCode(200)
                .header("X-Total-Count", "0");
        api.provider().as().queryParam("from", "yesterday").get(logs).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("from"));
        api.provider().as().queryParam("from", before.toString()).queryParam("to", before.toString()).get(logs)
                .then().statusCode(400).body("detail", containsString("to"));
    }

    static JsonPath awaitLogs(PublishedApi api, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            JsonPath logs = api.provider().as().get("/api/v1/apis/" + api.id() + "/logs").then().statusCode(200)
                    .extract().jsonPath();
            List<Object> items = logs.getList("$");
            if (items.size() >= count || System.currentTimeMillis() > deadline) {
                assertThat(items).hasSize(count);
                return logs;
            }
            Thread.sleep(50);
        }
    }
}
