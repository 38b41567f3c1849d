package dev.tollgate.metering;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications that usage produces, through the gateway to a real upstream: a plan's monthly quota at 80% and 100%
 * ({@code quota_warning}, {@code quota_exhausted}) to the consumer, and an API's server-error rate over the threshold
 * within a window ({@code error_rate_spike}) to its provider — each once, however often it is checked.
 */
@QuarkusTest
@TestProfile(UsageAlertsTest.ShortWindows.class)
class UsageAlertsTest extends WithUpstream {

    /** One-minute error-rate windows checked every 200 ms, counting from 5 calls. */
    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.metering.error-rate-window", "1m", "tollgate.metering.error-rate-check-interval",
                    "200ms", "tollgate.metering.error-rate-min-calls", "5");
        }
    }

    private static JsonPath notices(Api.User user, String type) {
        return user.as().queryParam("type", type).get("/api/v1/notify/history").then().statusCode(200).extract()
                .jsonPath();
    }

    private static JsonPath await(Api.User user, String type, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        JsonPath found = notices(user, type);
        while (found.getList("id").size() < count) {
            assertThat(Instant.now()).as("%d %s notification(s) for %s", count, type, user.id()).isBefore(deadline);
            Thread.sleep(100);
            found = notices(user, type);
        }
        return found;
    }

    private static void call(Caller caller, PublishedApi api, String path, int times, int status) {
        for (int i = 0; i < times; i++) {
            caller.call().get("/gw/" + api.slug() + path).then().statusCode(status);
        }
    }

    @Test
    void a_monthly_quota_tells_the_consumer_at_80_and_at_100_percent_once_each() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(api, Map.of("name", "Capped", "type", "free", "monthly_quota", 10));
        Caller caller = Gateway.subscribe(api, plan);
        Api.User consumer = caller.consumer();

        call(caller, api, "/echo", 7, 200);
        Thread.sleep(1_000); // the usage writer has written and checked them
        assertThat(notices(consumer, "quota_warning").getList("id")).isEmpty();

        call(caller, api, "/echo", 1, 200);
        JsonPath warning = await(consumer, "quota_warning", 1);
        assertThat(warning.getString("[0].title")).isEqualTo("80% of your monthly quota used on " + api.slug());
        assertThat(warning.getString("[0].message")).startsWith("You have made 8 of the 10 calls");
        assertThat(warning.getString("[0].metadata.subscription_id")).isEqualTo(caller.subscriptionId());

        call(caller, api, "/echo", 1, 200); // 90%: still the warning already given
        Thread.sleep(1_000);
        call(caller, api, "/echo", 1, 200);
        JsonPath exhausted = await(consumer, "quota_exhausted", 1);
        assertThat(exhausted.getString("[0].title")).isEqualTo("Monthly quota used up on " + api.slug());
        call(caller, api, "/echo", 2, 429);
        Thread.sleep(1_000);
        assertThat(notices(consumer, "quota_warning").getList("id")).hasSize(1);
        assertThat(notices(consumer, "quota_exhausted").getList("id")).hasSize(1);
    }

    @Test
    void server_errors_over_the_threshold_tell_the_provider_once_and_client_errors_nothing()
            throws InterruptedException {
        Api.User provider = Api.register("provider");
        PublishedApi failing = Gateway.publish(provider, upstream.baseUrl(), Map.of());
        PublishedApi picky = Gateway.publish(provider, upstream.baseUrl(), Map.of());
        Caller caller = Gateway.subscribe(failing, failing.defaultPlanId());
        Caller other = Gateway.subscribe(picky, picky.defaultPlanId());

        call(other, picky, "/status/404", 10, 404); // the consumers' mistakes, not the API's
        call(caller, failing, "/echo", 2, 200);
        call(caller, failing, "/status/500", 10, 500);
        JsonPath spike = await(provider, "error_rate_spike", 1);
        assertThat(spike.getString("[0].title")).startsWith("Error spike on " + failing.slug() + ": ");
        assertThat(spike.getString("[0].metadata.api_id")).isEqualTo(failing.id());
        assertThat(spike.getString("[0].action_url")).isEqualTo("/api/v1/apis/" + failing.id() + "/logs");

        // checked again and again (every 200 ms), and more errors: still one
        call(caller, failing, "/status/503", 5, 503);
        Thread.sleep(1_500);
        List<Object> all = notices(provider, "error_rate_spike").getList("metadata.api_id");
        assertThat(all).containsExactly(failing.id());
        assertThat(caller.consumer().as().get("/api/v1/notify/history").then().extract().jsonPath()
                .getList("notification_type")).doesNotContain("error_rate_spike");
    }
}
