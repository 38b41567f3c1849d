package dev.tollgate.portal;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.Portal;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The consumer's pages: dashboard, API keys, usage, billing and profile, through the forms a browser sends. */
@QuarkusTest
class ConsumerPagesTest extends WithUpstream {

    private static final Pattern SECRET = Pattern.compile("<code id=\"new-key-secret\">(tg_[^<]+)</code>");

    private static String secretOn(Response page) {
        Matcher matcher = SECRET.matcher(page.asString());
        assertThat(matcher.find()).as(page.asString()).isTrue();
        return matcher.group(1);
    }

    private static String html(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        return response.asString();
    }

    private static JsonPath keysOf(Api.User user) {
        return user.as().queryParam("include_revoked", true).get("/api/v1/api-keys").then().statusCode(200)
                .extract().jsonPath();
    }

    private static void subscribe(Api.User user, PublishedApi api) {
        user.as().body(Map.of("api_id", api.id(), "plan_id", api.defaultPlanId())).post("/api/v1/subscriptions")
                .then().statusCode(201);
    }

    private static int gatewayStatus(PublishedApi api, String key) {
        return given().header("Authorization", "Bearer " + key).get("/gw/" + api.slug() + "/echo").statusCode();
    }

    private static String apiName(PublishedApi api) {
        return api.provider().as().get("/api/v1/apis/" + api.id()).then().statusCode(200).extract().jsonPath()
                .getString("name");
    }

    @Nested
    class Dashboard {

        @Test
        void a_new_user_sees_empty_states_everywhere() {
            Portal portal = Portal.signUp("consumer");
            String home = html(portal.get("/dashboard"), 200);
            assertThat(home).contains("Hello, " + portal.user().username()).contains("id=\"no-subscriptions\"")
                    .contains("You have no credits yet").contains("Create your first key")
                    .doesNotContain("id=\"provider-link\"");
            assertThat(html(portal.get("/dashboard/keys"), 200)).contains("No keys yet — create one");
            assertThat(html(portal.get("/dashboard/usage"), 200)).contains("id=\"no-usage\"")
                    .contains("id=\"usage-calls\">0<");
            assertThat(html(portal.get("/billing"), 200)).contains("id=\"no-transactions\"")
                    .contains("id=\"balance\">$0.00<");
            assertThat(html(portal.get("/profile"), 200)).contains("value=\"" + portal.user().username() + "\"")
                    .contains("value=\"" + portal.user().email() + "\"");
        }

        @Test
        void providers_get_a_link_to_their_dashboard_and_strangers_are_sent_to_sign_in() {
            assertThat(html(Portal.signUp("provider").get("/dashboard"), 200)).contains("id=\"provider-link\"");
            for (String path : List.of("/dashboard", "/dashboard/keys", "/dashboard/usage", "/billing", "/profile")) {
                Response anonymous = Portal.anonymous().get(path);
                assertThat(anonymous.statusCode()).isEqualTo(303);
                assertThat(anonymous.header("Location")).endsWith("/signin?next=" + path.replace("/", "%2F"));
            }
        }

        @Test
        void subscriptions_are_listed_and_cancelled_after_confirming_and_only_the_owner_can() {
            PublishedApi api = Gateway.publish(upstream.baseUrl());
            Portal portal = Portal.signUp("consumer");
            subscribe(portal.user(), api);
            String id = portal.user().as().get("/api/v1/subscriptions").then().statusCode(200).extract().jsonPath()
                    .getString("[0].id");
            assertThat(html(portal.get("/dashboard"), 200)).contains(apiName(api))
                    .contains("/dashboard/subscriptions/" + id + "/cancel").doesNotContain("no-subscriptions");

            Portal stranger = Portal.signUp("consumer");
            assertThat(html(stranger.get("/dashboard/subscriptions/" + id + "/cancel"), 404)).contains("404");
            assertThat(html(stranger.post("/dashboard/subscriptions/" + id + "/cancel", Map.of()), 404))
                    .contains("404");
            assertThat(html(stranger.get("/dashboard"), 200)).doesNotContain(apiName(api));
            portal.user().as().get("/api/v1/subscriptions").then().body("id", org.hamcrest.Matchers.contains(id));

            assertThat(html(portal.get("/dashboard/subscriptions/" + id + "/cancel"), 200))
                    .contains("Cancel your subscription to " + apiName(api));
            Response cancelled = portal.post("/dashboard/subscriptions/" + id + "/cancel", Map.of());
            assertThat(cancelled.statusCode()).isEqualTo(303);
            assertThat(cancelled.header("Location")).endsWith("/dashboard");
            assertThat(html(portal.get("/dashboard"), 200)).contains("Subscription cancelled.")
                    .contains("id=\"no-subscriptions\"");
            portal.user().as().get("/api/v1/subscriptions").then().body("id", org.hamcrest.Matchers.empty());
        }
    }

    @Nested
    class Keys {

        @Test
        void a_key_created_with_the_form_is_shown_once_and_works_on_the_gateway() {
            PublishedApi api = Gateway.publish(upstream.baseUrl());
            Portal portal = Portal.signUp("consumer");
            subscribe(portal.user(), api);
            assertThat(html(portal.get("/dashboard/keys"), 200)).contains(apiName(api)).contains("name=\"api_ids\"");

            Response created = portal.post("/dashboard/keys", Map.of("name", "laptop", "api_ids", api.id(),
                    "monthly_spend_cap", "12.5", "expires_on", "2099-12-31"));
            String laptop = secretOn(created);
            assertThat(html(created, 200)).contains("data-copy=\"#new-key-secret\"")
                    .contains("Use in the try-it console").contains("/static/keys.js");
            String secret = secretOn(portal.post("/dashboard/keys", Map.of("name", "server")));
            assertThat(laptop).isNotEqualTo(secret);

            String list = html(portal.get("/dashboard/keys"), 200);
            assertThat(list).contains("laptop").contains("server").contains(secret.substring(0, 11) + "…")
                    .contains("2100-01-01 00:00 UTC").contains("$12.50/month").doesNotContain(secret)
                    .doesNotContain(secret.substring(11)).doesNotContain("new-key-secret");
            JsonPath keys = keysOf(portal.user());
            assertThat(keys.getList("name")).containsExactlyInAnyOrder("laptop", "server");
            assertThat(keys.getString("find { it.name == 'laptop' }.api_ids[0]")).isEqualTo(api.id());
            assertThat(keys.getString("find { it.name == 'laptop' }.expires_at")).startsWith("2100-01-01T00:00");

            assertThat(gatewayStatus(api, secret)).isEqualTo(200);
            assertThat(gatewayStatus(api, laptop)).isEqualTo(200);
            assertThat(gatewayStatus(api, secret + "x")).isEqualTo(401);
        }

        @Test
        void a_bad_form_says_why_and_creates_nothing() {
            Portal portal = Portal.signUp("consumer");
            String page = html(portal.post("/dashboard/keys", Map.of("name", "old", "expires_on", "2001-01-01",
                    "monthly_spend_cap", "lots")), 422);
            assertThat(page).contains("id=\"key-error\"").contains("monthly_spend_cap: must be an amount")
                    .contains("value=\"old\"").doesNotContain("new-key-secret");
            assertThat(html(portal.post("/dashboard/keys", Map.of("name", "old", "expires_on", "2001-01-01")), 422))
                    .contains("expires_at: must be in the future");
            assertThat(html(portal.post("/dashboard/keys", Map.of("name", " ")), 422)).contains("name");
            assertThat(keysOf(portal.user()).getList("id")).isEmpty();
        }

        @Test
        void rotating_shows_the_new_secret_once_and_revoking_stops_the_key() {
            PublishedApi api = Gateway.publish(upstream.baseUrl());
            Portal portal = Portal.signUp("consumer");
            subscribe(portal.user(), api);
            String first = secretOn(portal.post("/dashboard/keys", Map.of("name", "rotating")));
            String id = keysOf(portal.user()).getString("[0].id");

            assertThat(html(portal.get("/dashboard/keys/" + id + "/rotate"), 200)).contains("Rotate API key")
                    .contains("action=\"/dashboard/keys/" + id + "/rotate\"").doesNotContain(first);
            Response rotated = portal.post("/dashboard/keys/" + id + "/rotate", Map.of());
            String second = secretOn(rotated);
            assertThat(rotated.asString()).contains("New secret for “rotating”");
            assertThat(second).isNotEqualTo(first);
            assertThat(gatewayStatus(api, first)).isEqualTo(401);
            assertThat(gatewayStatus(api, second)).isEqualTo(200);
            assertThat(html(portal.get("/dashboard/keys"), 200)).contains(second.substring(0, 11))
                    .doesNotContain(second);

            assertThat(html(portal.get("/dashboard/keys/" + id + "/revoke"), 200)).contains("Revoke API key");
            Response revoked = portal.post("/dashboard/keys/" + id + "/revoke", Map.of());
            assertThat(revoked.statusCode()).isEqualTo(303);
            assertThat(revoked.header("Location")).endsWith("/dashboard/keys");
            assertThat(gatewayStatus(api, second)).isEqualTo(401);
            assertThat(html(portal.get("/dashboard/keys"), 200)).contains("API key revoked.").contains("No keys yet");
            assertThat(html(portal.get("/dashboard/keys?show=all"), 200)).contains("rotating").contains(">revoked<");
            assertThat(html(portal.post("/dashboard/keys/" + id + "/rotate", Map.of()), 409))
                    .contains("The key is revoked");
        }

        @Test
        void another_users_key_is_a_404_and_nothing_changes() {
            PublishedApi api = Gateway.publish(upstream.baseUrl());
            Gateway.Caller owner = Gateway.subscribe(api, api.defaultPlanId());
            Portal stranger = Portal.signUp("consumer");
            String id = owner.keyId();
            for (String action : List.of("rotate", "revoke")) {
                assertThat(html(stranger.get("/dashboard/keys/" + id + "/" + action), 404)).contains("404")
                        .contains("No API key with id");
                assertThat(html(stranger.post("/dashboard/keys/" + id + "/" + action, Map.of()), 404))
                        .contains("404").doesNotContain("new-key-secret");
            }
            assertThat(html(stranger.get("/dashboard/keys?show=all"), 200)).doesNotContain(id)
                    .doesNotContain("test key");
            JsonPath keys = keysOf(owner.consumer());
            assertThat(keys.getString("[0].revoked_at")).isNull();
            assertThat(keys.getString("[0].rotated_at")).isNull();
            assertThat(gatewayStatus(api, owner.key())).isEqualTo(200);
        }

        @Test
        void posts_without_the_csrf_token_are_refused_and_change_nothing() {
            PublishedApi api = Gateway.publish(upstream.baseUrl());
            Portal portal = Portal.signUp("consumer");
            subscribe(portal.user(), api);
            String secret = secretOn(portal.post("/dashboard/keys", Map.of("name", "kept")));
            String id = keysOf(portal.user()).getString("[0].id");

            assertThat(html(portal.post("/dashboard/keys", Map.of("_csrf", "forged", "name", "sneaky")), 403))
                    .contains("did not come from this site");
            html(portal.post("/dashboard/keys/" + id + "/revoke", Map.of("_csrf", "")), 403);
            html(portal.post("/dashboard/keys/" + id + "/rotate", Map.of("_csrf", "forged")), 403);
            String subscription = portal.user().as().get("/api/v1/subscriptions").then().extract().jsonPath()
                    .getString("[0].id");
            html(portal.post("/dashboard/subscriptions/" + subscription + "/cancel", Map.of("_csrf", "forged")), 403);
            html(portal.post("/profile", Map.of("_csrf", "forged", "username", "renamed_" + id.substring(0, 6),
                    "email", portal.user().email())), 403);

            assertThat(keysOf(portal.user()).getList("name")).containsExactly("kept");
            assertThat(keysOf(portal.user()).getString("[0].revoked_at")).isNull();
            assertThat(gatewayStatus(api, secret)).isEqualTo(200);
            portal.user().as().get("/api/v1/subscriptions").then().body("id",
                    org.hamcrest.Matchers.contains(subscription));
            portal.user().as().get("/api/v1/users/me").then().body("username",
                    org.hamcrest.Matchers.equalTo(portal.user().username()));
        }
    }

    @Nested
    class Usage {

        @Test
        void calls_through_the_gateway_show_per_api_and_over_time_and_only_to_their_caller()
                throws InterruptedException {
            PublishedApi api = Gateway.publish(upstream.baseUrl());
            Portal portal = Portal.signUp("consumer");
            subscribe(portal.user(), api);
            String secret = secretOn(portal.post("/dashboard/keys", Map.of("name", "usage")));
            assertThat(gatewayStatus(api, secret)).isEqualTo(200);
            given().header("Authorization", "Bearer " + secret).get("/gw/" + api.slug() + "/status/500").then()
                    .statusCode(500);

            String page = awaitPage(portal, "/dashboard/usage", "id=\"usage-calls\">2<");
            String name = apiName(api);
            assertThat(page).contains("id=\"usage-errors\">1<").doesNotContain("id=\"no-usage\"")
                    .containsPattern(Pattern.quote(name) + "</a></td><td class=\"num\">2</td><td class=\"num\">1</td>")
                    .contains("data-chart=").contains("chart.umd.js");
            Matcher buckets = Pattern.compile("<tr><td>\\d\\d-\\d\\d \\d\\d:00</td><td class=\"num\">(\\d+)</td>"
                    + "<td class=\"num\">(\\d+)</td></tr>").matcher(page);
            long calls = 0;
            long errors = 0;
            int rows = 0;
            while (buckets.find()) {
                calls += Long.parseLong(buckets.group(1));
                errors += Long.parseLong(buckets.group(2));
                rows++;
            }
            assertThat(rows).as("hourly buckets of 24 h").isBetween(24, 25);
            assertThat(calls).isEqualTo(2);
            assertThat(errors).isEqualTo(1);
            assertThat(html(portal.get("/dashboard/usage?window=30d"), 200)).contains("<option value=\"30d\" selected")
                    .contains("<option value=\"day\" selected").contains("id=\"usage-calls\">2<");
            assertThat(html(portal.get("/dashboard"), 200)).containsPattern("id=\"month-calls\">\\s*<div "
                    + "class=\"stat-label\">[^<]*</div>\\s*<div class=\"stat\">2</div>");
            assertThat(html(Portal.signUp("consumer").get("/dashboard/usage"), 200)).doesNotContain(name)
                    .contains("id=\"usage-calls\">0<");
        }

        private static String awaitPage(Portal portal, String path, String expected) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            String page = html(portal.get(path), 200);
            while (!page.contains(expected)) {
                assertThat(System.currentTimeMillis()).as("waited 10 s for " + expected + " on " + path)
                        .isLessThan(deadline);
                Thread.sleep(100);
                page = html(portal.get(path), 200);
            }
            return page;
        }
    }

    @Nested
    class Billing {

        @Test
        void granted_credits_show_in_the_balance_and_the_transactions_with_the_balance_after_each() {
            Portal portal = Portal.signUp("consumer");
            Api.grantCredits(portal.user(), 5);
            Api.grantCredits(portal.user(), "7.25");
            String page = html(portal.get("/billing"), 200);
            assertThat(page).contains("id=\"balance\">$12.25<").contains("id=\"available\">$12.25<")
                    .doesNotContain("id=\"no-transactions\"")
                    .containsPattern("Grant: test</td>\\s*<td class=\"small\">consumer wallet</td>\\s*"
                            + "<td class=\"num\">\\$7.25</td>\\s*<td class=\"num\">\\$12.25</td>")
                    .containsPattern("Grant: test</td>\\s*<td class=\"small\">consumer wallet</td>\\s*"
                            + "<td class=\"num\">\\$5.00</td>\\s*<td class=\"num\">\\$5.00</td>")
                    .contains("Page 1 of 1 · 2 lines");
            assertThat(html(portal.get("/dashboard"), 200)).contains("$12.25").doesNotContain("You have no credits");
            assertThat(html(Portal.signUp("consumer").get("/billing"), 200)).contains("id=\"no-transactions\"")
                    .doesNotContain("$12.25");
        }

        @Test
        void without_stripe_a_top_up_says_payments_are_not_configured() {
            Portal portal = Portal.signUp("consumer");
            assertThat(html(portal.get("/billing"), 200)).contains("Payments are not configured");
            assertThat(html(portal.post("/billing/topup", Map.of("amount", "20")), 503))
                    .contains("id=\"top-up-error\"").contains("Payments are not configured");
        }
    }

    @Nested
    class Profile {

        @Test
        void a_wrong_current_password_is_said_and_changes_nothing() {
            Portal portal = Portal.signUp("consumer");
            String page = html(portal.post("/profile/password", Map.of("current_password", "not my password",
                    "password", "a brand new password", "password_again", "a brand new password")), 403);
            assertThat(page).contains("id=\"password-error\"").contains("The current password is incorrect.");
            Api.login(portal.user().username(), Api.PASSWORD, Api.randomClientAddress()).then().statusCode(200);
            Api.login(portal.user().username(), "a brand new password", Api.randomClientAddress()).then()
                    .statusCode(401);
            assertThat(html(portal.post("/profile/password", Map.of("current_password", Api.PASSWORD, "password",
                    "short", "password_again", "short")), 422)).contains("password: must be 10 to 256 characters");
        }

        @Test
        void the_password_changes_with_the_current_one_and_this_browser_stays_signed_in() {
            Portal portal = Portal.signUp("consumer");
            Response changed = portal.post("/profile/password", Map.of("current_password", Api.PASSWORD,
                    "password", "a brand new password", "password_again", "a brand new password"));
            assertThat(changed.statusCode()).as(changed.asString()).isEqualTo(303);
            assertThat(html(portal.get("/profile"), 200)).contains("Your password is changed");
            Api.login(portal.user().username(), "a brand new password", Api.randomClientAddress()).then()
                    .statusCode(200);
            Api.login(portal.user().username(), Api.PASSWORD, Api.randomClientAddress()).then().statusCode(401);
        }

        @Test
        void details_change_and_bad_or_taken_ones_are_refused_on_the_form() {
            Portal portal = Portal.signUp("consumer");
            Portal other = Portal.signUp("consumer");
            String renamed = Api.uniqueName("renamed");
            assertThat(html(portal.post("/profile", Map.of("username", "x!", "email", "nope")), 422))
                    .contains("id=\"details-error\"").contains("username: must be 3 to 32 characters")
                    .contains("email: must be a valid e-mail address").contains("value=\"x!\"");
            assertThat(html(portal.post("/profile", Map.of("username", other.user().username(), "email",
                    portal.user().email())), 409)).contains("id=\"details-error\"");
            portal.user().as().get("/api/v1/users/me").then().body("username",
                    org.hamcrest.Matchers.equalTo(portal.user().username()));

            Response saved = portal.post("/profile", Map.of("username", renamed, "email", renamed + "@example.org"));
            assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(303);
            assertThat(html(portal.get("/profile"), 200)).contains("Your profile is saved.")
                    .contains("value=\"" + renamed + "\"").contains("value=\"" + renamed + "@example.org\"");
        }
    }
}
