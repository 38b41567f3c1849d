package dev.tollgate.gateway;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every gateway call is counted by status class in Prometheus, also those without a valid key; paths are not. */
@QuarkusTest
class GatewayPrometheusTest extends WithUpstream {

    @Test
    void calls_are_counted_by_status_class() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        String admin = Api.admin().accessToken();
        double ok = counter(admin, "2xx");
        double refused = counter(admin, "4xx");
        double failed = counter(admin, "5xx");

        caller.call().get("/gw/" + api.slug() + "/echo/unique-path-7f3a").then().statusCode(200);
        given().get("/gw/" + api.slug() + "/echo").then().statusCode(401);
        // the key is checked before the slug (private slugs must not be discoverable): a valid one gets the 404
        caller.call().get("/gw/no-such-api-here/echo").then().statusCode(404);
        caller.call().get("/gw/" + api.slug() + "/status/503").then().statusCode(503);

        assertThat(counter(admin, "2xx")).isEqualTo(ok + 1);
        assertThat(counter(admin, "4xx")).isEqualTo(refused + 2);
        assertThat(counter(admin, "5xx")).isEqualTo(failed + 1);
        String metrics = scrape(admin);
        assertThat(metrics).doesNotContain("unique-path-7f3a");
    }

    private static double counter(String admin, String statusClass) {
        Matcher m = Pattern.compile("(?m)^tollgate_gateway_calls_total\\{status=\"" + statusClass + "\",?} (\\S+)")
                .matcher(scrape(admin));
        assertThat(m.find()).as("tollgate_gateway_calls_total{status=%s}", statusClass).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String scrape(String admin) {
        return given().auth().oauth2(admin).accept("text/plain").get("/metrics").then().statusCode(200).extract()
                .asString();
    }
}
