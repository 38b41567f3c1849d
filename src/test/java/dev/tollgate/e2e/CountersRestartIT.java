package dev.tollgate.e2e;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/** A restart forgives neither a monthly quota nor a subscription's included calls: they are counted from usage. */
class CountersRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENVIRONMENT = Map.of("TOLLGATE_ALLOW_PRIVATE_UPSTREAMS", "true",
            "TOLLGATE_ADMIN_EMAIL", "admin@example.com", "TOLLGATE_ADMIN_PASSWORD", "restart admin password");

    @TempDir
    Path dataDir;

    @Test
    void quotas_and_included_calls_count_the_calls_made_before_a_restart() throws Exception {
        String key;
        String consumerToken;
        try (TestUpstream upstream = new TestUpstream()) {
            try (RunningApp app = RunningApp.start(dataDir, ENVIRONMENT)) {
                String provider = register(app, "restart_provider", "provider");
                consumerToken = register(app, "restart_consumer", "consumer");
                String consumerId = json(app.send("GET", "/api/v1/users/me", null, consumerToken)).get("id").asText();
                String admin = json(app.send("POST", "/api/v1/auth/login",
                        "{\"username\":\"admin@example.com\",\"password\":\"restart admin password\"}", null))
                        .get("access_token").asText();
                ok(app.send("POST", "/api/v1/admin/credits/grant", "{\"user_id\":\"" + consumerId
                        + "\",\"amount\":10,\"reason\":\"test\"}", admin));

                String starter = api(app, provider, "starter", upstream.baseUrl(), "{\"name\":\"Starter\","
                        + "\"type\":\"subscription\",\"monthly_price\":1,\"included_calls\":2,\"price_per_call\":0.5}");
                String quota = api(app, provider, "quota", upstream.baseUrl(), "{\"name\":\"Quota\",\"type\":\"free\","
                        + "\"monthly_quota\":2}");
                for (String subscription : new String[]{starter, quota}) {
                    ok(app.send("POST", "/api/v1/subscriptions", subscription, consumerToken));
                }
                key = json(app.send("POST", "/api/v1/api-keys", "{\"name\":\"restart\"}", consumerToken)).get("key")
                        .asText();

                HttpResponse<String> included = app.call("/gw/starter/echo", key);
                assertThat(included.statusCode()).isEqualTo(200);
                assertThat(included.headers().firstValue("X-Included-Calls-Remaining")).hasValue("1");
                HttpResponse<String> counted = app.call("/gw/quota/echo", key);
                assertThat(counted.headers().firstValue("X-Quota-Remaining")).hasValue("1");
                Thread.sleep(1000); // usage rows are written in batches
                app.stop();
            }
            try (RunningApp app = RunningApp.start(dataDir, ENVIRONMENT)) {
                HttpResponse<String> lastIncluded = app.call("/gw/starter/echo", key);
                assertThat(lastIncluded.statusCode()).isEqualTo(200);
                assertThat(lastIncluded.headers().firstValue("X-Included-Calls-Remaining")).hasValue("0");
                assertThat(app.call("/gw/starter/echo", key).statusCode()).isEqualTo(200); // overage: 0.5

                assertThat(app.call("/gw/quota/echo", key).statusCode()).isEqualTo(200);
                assertThat(app.call("/gw/quota/echo", key).statusCode()).isEqualTo(429);

                long deadline = System.nanoTime() + 10_000_000_000L;
                double balance;
                do {
                    Thread.sleep(100);
                    balance = json(app.send("GET", "/api/v1/users/me/credits", null, consumerToken)).get("balance")
                            .asDouble();
                } while (balance != 8.5 && System.nanoTime() < deadline);
                assertThat(balance).as("10 granted - 1 monthly price - 0.5 for the one call beyond the included")
                        .isEqualTo(8.5);
                app.stop();
            }
        }
    }

    private static String register(RunningApp app, String username, String role) throws Exception {
        return json(ok(app.send("POST", "/api/v1/auth/register", "{\"email\":\"" + username + "@example.com\","
                + "\"username\":\"" + username + "\",\"password\":\"restart password 1\",\"role\":\"" + role + "\"}",
                null))).get("access_token").asText();
    }

    /** Creates an API with one plan; returns the subscription request body for it. */
    private static String api(RunningApp app, String provider, String slug, String upstream, String plan)
            throws Exception {
        String apiId = json(ok(app.send("POST", "/api/v1/apis", "{\"name\":\"" + slug + "\",\"slug\":\"" + slug
                + "\",\"description\":\"restart test\",\"base_url\":\"" + upstream + "\",\"visibility\":\"public\"}",
                provider))).get("id").asText();
        String planId = json(ok(app.send("POST", "/api/v1/apis/" + apiId + "/plans", plan, provider))).get("id")
                .asText();
        return "{\"api_id\":\"" + apiId + "\",\"plan_id\":\"" + planId + "\"}";
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}
