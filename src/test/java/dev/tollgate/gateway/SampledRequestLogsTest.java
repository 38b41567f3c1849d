package dev.tollgate.gateway;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With request logs sampled (a tiny share of successes kept), every error is still logged and the rollups — metrics,
 * usage, quotas — still count every call.
 */
@QuarkusTest
@TestProfile(SampledRequestLogsTest.Sampled.class)
class SampledRequestLogsTest extends WithUpstream {

    public static class Sampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.metering.raw-sample", "0.0001");
        }
    }

    @Test
    void sampling_keeps_every_error_and_changes_no_rollup_count() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        for (int i = 0; i < 20; i++) {
            caller.call().header("X-Request-ID", "sampled-ok-" + i).get("/gw/" + api.slug() + "/echo/a").then()
                    .statusCode(200);
        }
        caller.call().header("X-Request-ID", "sampled-404").get("/gw/" + api.slug() + "/status/404").then()
                .statusCode(404);
        caller.call().header("X-Request-ID", "sampled-500").get("/gw/" + api.slug() + "/status/500").then()
                .statusCode(500);

        JsonPath metrics = null;
        for (int i = 0; i < 50; i++) {
            metrics = api.provider().as().queryParam("window", "1h").get("/api/v1/apis/" + api.id() + "/metrics")
                    .then().statusCode(200).extract().jsonPath();
            if (metrics.getLong("calls") == 22) {
                break;
            }
            Thread.sleep(100); // the usage writer folds events within its flush interval (200 ms)
        }
        assertThat(metrics.getLong("calls")).isEqualTo(22);
        assertThat(metrics.getLong("errors")).isEqualTo(2);
        assertThat(caller.consumer().as().get("/api/v1/users/me/usage").then().statusCode(200).extract().jsonPath()
                .getLong("calls")).isEqualTo(22);

        // the raw events of a batch are written right after it is folded: both errors are there, successes sampled out
        JsonPath logs = null;
        for (int i = 0; i < 50; i++) {
            logs = api.provider().as().queryParam("limit", 100).get("/api/v1/apis/" + api.id() + "/logs").then()
                    .statusCode(200).extract().jsonPath();
            if (logs.getList("request_id", String.class).containsAll(java.util.List.of("sampled-404", "sampled-500"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(logs.getList("request_id", String.class)).contains("sampled-404", "sampled-500")
                .hasSizeLessThan(22);
    }
}
