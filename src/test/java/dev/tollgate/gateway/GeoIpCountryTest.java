package dev.tollgate.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * With an offline GeoIP database configured, a call without the trusted country header is placed by the client's
 * address (here 127.0.0.1, which the test database puts in Antarctica); the header, when sent, still wins.
 */
@QuarkusTest
@TestProfile(GeoIpCountryTest.WithGeoIp.class)
class GeoIpCountryTest extends WithUpstream {

    public static class WithGeoIp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("tollgate-geoip", ".csv");
                file.toFile().deleteOnExit();
                Files.writeString(file, "127.0.0.0,127.255.255.255,AQ\n::1,::1,AQ\n");
                return Map.of("tollgate.metering.geoip-database", file.toString(),
                        "tollgate.metering.country-header", "CF-IPCountry");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void calls_without_the_header_are_placed_by_the_clients_address() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().header("X-Request-ID", "geo-by-address").get("/gw/" + api.slug() + "/echo/a").then()
                .statusCode(200);
        caller.call().header("X-Request-ID", "geo-by-header").header("CF-IPCountry", "DE")
                .get("/gw/" + api.slug() + "/echo/b").then().statusCode(200);

        JsonPath geography = null;
        for (int i = 0; i < 50; i++) {
            geography = api.provider().as().queryParam("api_id", api.id()).get("/api/v1/analytics/geography").then()
                    .statusCode(200).extract().jsonPath();
            if (geography.getList("$").size() == 2) {
                break;
            }
            Thread.sleep(100); // the usage writer folds events within its flush interval (200 ms)
        }
        assertThat(geography.getList("country", String.class)).containsExactlyInAnyOrder("AQ", "DE");
        assertThat(geography.getList("calls", Integer.class)).containsExactly(1, 1);

        JsonPath logs = null;
        for (int i = 0; i < 50; i++) {
            logs = api.provider().as().get("/api/v1/apis/" + api.id() + "/logs").then().statusCode(200).extract()
                    .jsonPath();
            if (logs.getList("$").size() == 2) {
                break;
            }
            Thread.sleep(100); // request logs are appended right after the batch is folded
        }
        assertThat(logs.getList("request_id", String.class)).containsExactlyInAnyOrder("geo-by-address",
                "geo-by-header");
        assertThat(logs.getList("country", String.class)).containsExactlyInAnyOrder("AQ", "DE");
    }
}
