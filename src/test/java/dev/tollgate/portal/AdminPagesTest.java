package dev.tollgate.portal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.tollgate.billing.AccountKind;
import dev.tollgate.billing.Ledger;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.Portal;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin pages and the monitoring page, through the forms a browser sends. */
@QuarkusTest
class AdminPagesTest extends WithUpstream {

    private static final List<String> ADMIN_PAGES = List.of("/admin", "/admin/users", "/admin/credits",
            "/admin/models", "/admin/payouts", "/admin/feedback", "/admin/featured");

    @Inject
    Ledger ledger;

    @Nested
    class OnlyAdmins {

        @Test
        void consumers_and_providers_get_the_403_page_everywhere_and_their_forms_change_nothing() {
            Api.User target = Api.registerConsumer();
            PublishedApi api = listedApi("Shelf");
            for (String role : List.of("consumer", "provider")) {
                Portal portal = Portal.signUp(role);
                for (String path : ADMIN_PAGES) {
                    Response page = portal.get(path);
                    assertThat(page.statusCode()).as(role + " " + path).isEqualTo(403);
                    assertThat(page.asString()).contains("This page is for admins").doesNotContain(target.email());
                }
                portal.get("/admin/users/" + target.id()).then().statusCode(403);
                portal.get("/admin/models/" + UUID.randomUUID()).then().statusCode(403);

                assertThat(portal.post("/admin/credits", Map.of("user", target.email(), "amount", "50", "reason",
                        "free money")).statusCode()).isEqualTo(403);
                assertThat(portal.post("/admin/credits", Map.of("user", portal.user().email(), "amount", "50",
                        "reason", "free money")).statusCode()).isEqualTo(403);
                assertThat(portal.post("/admin/users/" + target.id() + "/suspend", Map.of()).statusCode())
                        .isEqualTo(403);
                assertThat(portal.post("/admin/users/" + portal.user().id(), Map.of("roles", "admin", "plan",
                        "enterprise")).statusCode()).isEqualTo(403);
                assertThat(portal.post("/admin/featured/" + api.id() + "/feature", Map.of()).statusCode())
                        .isEqualTo(403);
                assertThat(portal.post("/admin/models", Map.of("name", Api.uniqueName("sneaky"), "input", "1",
                        "output", "1", "vendor", "openai_compatible", "baseUrl", "https://example.com"))
                        .statusCode()).isEqualTo(403);

                assertThat(balance(target)).isEqualTo(0.0);
                assertThat(balance(portal.user())).isEqualTo(0.0);
                Api.login(target.username(), Api.PASSWORD, Api.randomClientAddress()).then().statusCode(200);
                Api.User self = Api.admin();
                self.as().get("/api/v1/admin/users/" + portal.user().id()).then().statusCode(200)
                        .body("roles", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("admin")))
                        .body("plan", org.hamcrest.Matchers.equalTo("free"));
                assertThat(portal.get("/admin").statusCode()).isEqualTo(403);
            }
            given().get("/api/v1/marketplace/listings/" + api.slug()).then().statusCode(200)
                    .body("featured", org.hamcrest.Matchers.equalTo(false));
        }

        @Test
        void signed_out_visitors_are_sent_to_sign_in() {
            Response page = Portal.anonymous().get("/admin/users");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.header("Location")).contains("/signin?next=%2Fadmin%2Fusers");
            assertThat(Portal.anonymous().get("/monitoring").statusCode()).isEqualTo(303);
        }

        @Test
        void a_post_without_the_csrf_token_is_403_and_grants_nothing() {
            Portal admin = Portal.admin();
            admin.get("/admin/credits").then().statusCode(200);
            Api.User target = Api.registerConsumer();
            Response missing = admin.post("/admin/credits", Map.of("_csrf", "", "user", target.email(), "amount",
                    "20", "reason", "no token"));
            assertThat(missing.statusCode()).isEqualTo(403);
            assertThat(missing.asString()).contains("did not come from this site");
            Response wrong = admin.post("/admin/credits", Map.of("_csrf", "forged", "user", target.email(),
                    "amount", "20", "reason", "forged token"));
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(admin.post("/admin/users/" + target.id() + "/suspend", Map.of("_csrf", "")).statusCode())
                    .isEqualTo(403);
            assertThat(balance(target)).isEqualTo(0.0);
            Api.login(target.username(), Api.PASSWORD, Api.randomClientAddress()).then().statusCode(200);
        }
    }

    @Nested
    class Forms {

        @Test
        void the_overview_shows_the_platform_figures_and_links_every_admin_page() {
            Portal admin = Portal.admin();
            String page = admin.get("/admin").then().statusCode(200).extract().asString();
            assertThat(page).contains("Administration", "id=\"figure-users\"", "Calls today", "Pending payouts",
                    "Unanswered feedback", "Platform revenue today");
            for (String path : ADMIN_PAGES) {
                assertThat(page).contains("href=\"" + path + "\"");
                admin.get(path).then().statusCode(200);
            }
        }

        @Test
        void admin_grants_credits_by_email_username_or_id_and_bad_forms_grant_nothing() {
            Portal admin = Portal.admin();
            Api.User target = Api.registerConsumer();
            String form = admin.get("/admin/credits").then().statusCode(200).extract().asString();
            assertThat(form).contains("<label for=\"grant-amount\">");
            String key = hidden(form, "key");

            Response granted = admin.post("/admin/credits", Map.of("user", target.email(), "amount", "12.50",
                    "reason", "welcome credit", "key", key));
            assertThat(granted.statusCode()).as(granted.asString()).isEqualTo(303);
            assertThat(granted.header("Location")).endsWith("/admin/credits");
            assertThat(balance(target)).isEqualTo(12.5);
            String after = admin.get("/admin/credits").then().statusCode(200).extract().asString();
            assertThat(after).contains("Granted $12.50 to " + target.username(), "welcome credit");
            assertThat(after.substring(after.indexOf("id=\"grants\""))).contains(target.username(), "$12.50");

            // the same form sent twice (a double click) grants once
            admin.post("/admin/credits", Map.of("user", target.email(), "amount", "12.50", "reason",
                    "welcome credit", "key", key)).then().statusCode(303);
            assertThat(balance(target)).isEqualTo(12.5);

            admin.post("/admin/credits", Map.of("user", target.username().toUpperCase(), "amount", "2", "reason",
                    "by username")).then().statusCode(303);
            admin.post("/admin/credits", Map.of("user", target.id(), "amount", "0.5", "reason", "by id")).then()
                    .statusCode(303);
            assertThat(balance(target)).isEqualTo(15.0);

            for (Map<String, String> bad : List.of(
                    Map.of("user", target.email(), "amount", "lots", "reason", "x", "expect", "must be a number"),
                    Map.of("user", target.email(), "amount", "-5", "reason", "x", "expect", "more than 0"),
                    Map.of("user", target.email(), "amount", "", "reason", "x", "expect", "how much"),
                    Map.of("user", target.email(), "amount", "5", "reason", "", "expect", "reason"),
                    Map.of("user", "nobody-" + UUID.randomUUID() + "@example.com", "amount", "5", "reason", "x",
                            "expect", "no user"))) {
                Response rejected = admin.post("/admin/credits", Map.of("user", bad.get("user"), "amount",
                        bad.get("amount"), "reason", bad.get("reason")));
                assertThat(rejected.statusCode()).as(bad.toString()).isEqualTo(422);
                assertThat(rejected.asString()).contains("id=\"grant-error\"", bad.get("expect"))
                        .contains("value=\"" + bad.get("amount") + "\"");
            }
            assertThat(balance(target)).isEqualTo(15.0);
        }

        @Test
        void admin_finds_changes_and_suspends_a_user_whose_api_login_then_fails() {
            Portal admin = Portal.admin();
            Api.User target = Api.registerConsumer();
            Api.User other = Api.registerConsumer();
            String found = admin.get("/admin/users?email=" + target.username() + "&role=consumer").then()
                    .statusCode(200).extract().asString();
            assertThat(found).contains(target.email(), "1–1 of 1").doesNotContain(other.email());
            assertThat(admin.get("/admin/users?role=admin").asString()).contains("admin@tollgate.test")
                    .doesNotContain(target.email());

            Response changed = admin.post("/admin/users/" + target.id(), Map.of("roles", List.of("consumer",
                    "provider"), "plan", "pro"));
            assertThat(changed.statusCode()).as(changed.asString()).isEqualTo(303);
            Api.admin().as().get("/api/v1/admin/users/" + target.id()).then().statusCode(200)
                    .body("roles", org.hamcrest.Matchers.containsInAnyOrder("consumer", "provider"))
                    .body("plan", org.hamcrest.Matchers.equalTo("pro"));
            assertThat(admin.post("/admin/users/" + target.id(), Map.of("plan", "pro")).statusCode())
                    .isEqualTo(422);

            Response suspended = admin.post("/admin/users/" + target.id() + "/suspend", Map.of("back",
                    "/admin/users?email=" + target.username()));
            assertThat(suspended.statusCode()).isEqualTo(303);
            assertThat(suspended.header("Location")).endsWith("/admin/users?email=" + target.username());
            Api.login(target.username(), Api.PASSWORD, Api.randomClientAddress()).then().statusCode(403);
            target.as().get("/api/v1/users/me/credits").then().statusCode(401);
            assertThat(admin.get("/admin/users/" + target.id()).asString()).contains("suspended", "Unsuspend");

            admin.post("/admin/users/" + target.id() + "/unsuspend", Map.of()).then().statusCode(303);
            Api.login(target.username(), Api.PASSWORD, Api.randomClientAddress()).then().statusCode(200);
        }

        @Test
        void an_admin_cannot_suspend_themselves_or_drop_their_own_admin_role() {
            Portal admin = Portal.admin();
            String me = admin.user().id();
            Response suspend = admin.post("/admin/users/" + me + "/suspend", Map.of());
            assertThat(suspend.statusCode()).isEqualTo(409);
            assertThat(suspend.asString()).contains("You cannot suspend yourself");
            Response demote = admin.post("/admin/users/" + me, Map.of("roles", "consumer", "plan", "free"));
            assertThat(demote.statusCode()).isEqualTo(409);
            assertThat(demote.asString()).contains("You cannot remove your own admin role");
            admin.get("/admin").then().statusCode(200);
            Api.admin().as().get("/api/v1/admin/users/" + me).then().body("roles",
                    org.hamcrest.Matchers.hasItem("admin")).body("suspended", org.hamcrest.Matchers.equalTo(false));
        }

        @Test
        void admin_approves_one_payout_with_a_reference_and_rejects_another_with_a_reason() {
            Api.User provider = Api.register("provider");
            ledger.post("adjustment", null, "earnings for the portal test", null, List.of(
                    new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, UUID.fromString(provider.id()), 30_000_000),
                    new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -30_000_000)));
            String first = provider.as().body(Map.of("amount", 15)).post("/api/v1/billing/payout-request").then()
                    .statusCode(201).extract().jsonPath().getString("id");
            Portal admin = Portal.admin();
            String page = admin.get("/admin/payouts").then().statusCode(200).extract().asString();
            assertThat(page).contains("id=\"payout-" + first + "\"", provider.username(), "$15.00",
                    "<label for=\"reference-" + first + "\"");

            Response noReference = admin.post("/admin/payouts/" + first + "/approve", Map.of("reference", ""));
            assertThat(noReference.statusCode()).isEqualTo(422);
            assertThat(noReference.asString()).contains("reference", "is required");
            assertThat(payoutStatus(provider, first)).isEqualTo("pending");

            Response approved = admin.post("/admin/payouts/" + first + "/approve", Map.of("reference",
                    "SEPA-PORTAL-1"));
            assertThat(approved.statusCode()).as(approved.asString()).isEqualTo(303);
            assertThat(payoutStatus(provider, first)).isEqualTo("paid");
            assertThat(admin.get("/admin/payouts").asString()).contains("Payout of $15.00 paid", "SEPA-PORTAL-1");
            assertThat(admin.post("/admin/payouts/" + first + "/reject", Map.of()).statusCode()).isEqualTo(409);

            String second = provider.as().body(Map.of("amount", 10)).post("/api/v1/billing/payout-request").then()
                    .statusCode(201).extract().jsonPath().getString("id");
            admin.post("/admin/payouts/" + second + "/reject", Map.of("note", "bank details missing")).then()
                    .statusCode(303);
            assertThat(payoutStatus(provider, second)).isEqualTo("rejected");
            provider.as().get("/api/v1/billing/overview").then().body("available",
                    org.hamcrest.Matchers.equalTo(15)).body("paid_out", org.hamcrest.Matchers.equalTo(15));
        }

        @Test
        void admin_features_and_unfeatures_a_listing() {
            PublishedApi api = listedApi("Lighthouse");
            Portal admin = Portal.admin();
            String page = admin.get("/admin/featured?q=" + api.slug()).then().statusCode(200).extract().asString();
            assertThat(page).contains("id=\"listing-" + api.id() + "\"", "Feature Lighthouse");
            Response featured = admin.post("/admin/featured/" + api.id() + "/feature", Map.of("back",
                    "/admin/featured?q=x"));
            assertThat(featured.statusCode()).isEqualTo(303);
            assertThat(featured.header("Location")).endsWith("/admin/featured?q=x");
            given().get("/api/v1/marketplace/listings/" + api.slug()).then().statusCode(200)
                    .body("featured", org.hamcrest.Matchers.equalTo(true));
            assertThat(admin.get("/admin/featured?q=" + api.slug()).asString()).contains("is featured.",
                    "Stop featuring Lighthouse");
            // the back field only leads back into the admin pages
            Response elsewhere = admin.post("/admin/featured/" + api.id() + "/unfeature", Map.of("back",
                    "//evil.example/admin"));
            assertThat(elsewhere.header("Location")).endsWith("/admin/featured").doesNotContain("evil");
            given().get("/api/v1/marketplace/listings/" + api.slug()).then()
                    .body("featured", org.hamcrest.Matchers.equalTo(false));
        }

        @Test
        void admin_answers_feedback_and_marks_it_handled() {
            Api.User author = Api.registerConsumer();
            String message = "The docs page is slow " + UUID.randomUUID();
            String id = author.as().body(Map.of("type", "bug", "message", message)).post("/api/v1/feedback").then()
                    .statusCode(201).extract().jsonPath().getString("id");
            Portal admin = Portal.admin();
            assertThat(admin.get("/admin/feedback?status=pending").asString()).contains(message, author.username());
            admin.post("/admin/feedback/" + id, Map.of("status", "reviewed", "response", "Looking into it")).then()
                    .statusCode(303);
            admin.post("/admin/feedback/" + id, Map.of("status", "resolved")).then().statusCode(303);
            author.as().get("/api/v1/feedback").then().body("find { it.id == '" + id + "' }.status",
                    org.hamcrest.Matchers.equalTo("resolved")).body("find { it.id == '" + id + "' }.admin_response",
                            org.hamcrest.Matchers.equalTo("Looking into it"));
            assertThat(admin.get("/admin/feedback?status=pending").asString()).doesNotContain(message);
            assertThat(admin.post("/admin/feedback/" + id, Map.of("status", "lost")).statusCode()).isEqualTo(422);
        }

        @Test
        void admin_creates_edits_and_disables_a_model_and_its_channel_keys_are_never_shown() {
            Portal admin = Portal.admin();
            String name = Api.uniqueName("portal-model");
            String secret = "sk-portal-secret-" + UUID.randomUUID();
            Response bad = admin.post("/admin/models", Map.of("name", name, "input", "cheap", "output", "0.6",
                    "vendor", "openai", "baseUrl", "http://127.0.0.1:9/v1", "apiKey", secret));
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.asString()).contains("must be a number").doesNotContain(secret);

            Response created = admin.post("/admin/models", Map.of("name", name, "displayName", "Portal model",
                    "modelType", "chat", "input", "0.15", "output", "0.60", "vendor", "openai", "baseUrl",
                    "http://127.0.0.1:9/v1", "apiKey", secret, "upstreamModel", "gpt-4o-mini"));
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(303);
            String location = created.header("Location");
            String id = location.substring(location.lastIndexOf('/') + 1);
            assertThat(admin.get("/admin/models").asString()).contains(name, "$0.15", "$0.60").doesNotContain(secret);
            String page = admin.get("/admin/models/" + id).then().statusCode(200).extract().asString();
            assertThat(page).contains("http://127.0.0.1:9/v1", "gpt-4o-mini", "healthy").doesNotContain(secret);

            admin.post("/admin/models/" + id, Map.of("displayName", "Portal model 2", "input", "0.2", "output",
                    "0.8", "enabled", "on")).then().statusCode(303);
            Api.User api = Api.admin();
            api.as().get("/api/v1/admin/models/" + id).then().statusCode(200)
                    .body("display_name", org.hamcrest.Matchers.equalTo("Portal model 2"))
                    .body("pricing.input_per_million", org.hamcrest.Matchers.equalTo(0.2f))
                    .body("channels[0].api_key_set", org.hamcrest.Matchers.equalTo(true));
            admin.post("/admin/models/" + id + "/disable", Map.of()).then().statusCode(303);
            api.as().get("/api/v1/admin/models/" + id).then().body("enabled", org.hamcrest.Matchers.equalTo(false))
                    .body("channels[0].api_key_set", org.hamcrest.Matchers.equalTo(true));
        }
    }

    @Nested
    class Monitoring {

        @Test
        void admin_sees_the_platform_and_the_node_and_the_fragment_reloads_itself() {
            Portal admin = Portal.admin();
            String page = admin.get("/monitoring").then().statusCode(200).extract().asString();
            assertThat(page).contains("The whole platform", "This node", "Uptime", "CPU", "Memory (heap)",
                    "Requests, last minute", "Latency (p95), last hour", "Last updated", "id=\"queues\"", "usage",
                    "hx-get=\"/monitoring/figures\"", "hx-trigger=\"every 30s\"", "hx-swap=\"outerHTML\"",
                    "chart.umd.js");
            for (Response fragment : List.of(admin.get("/monitoring/figures"),
                    admin.htmx("GET", "/monitoring/figures", Map.of()))) {
                String html = fragment.then().statusCode(200).extract().asString();
                assertThat(html).startsWith("<section id=\"monitoring-figures\"").doesNotContain("<html")
                        .contains("This node", "hx-get=\"/monitoring/figures\"");
            }
        }

        @Test
        void a_consumer_sees_only_their_own_calls() throws InterruptedException {
            PublishedApi mine = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                    Map.of("name", Api.uniqueName("Alpha")));
            PublishedApi theirs = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                    Map.of("name", Api.uniqueName("Omega")));
            Portal consumer = Portal.signUp("consumer");
            Caller me = Gateway.subscribe(consumer.user(), mine, mine.defaultPlanId());
            Caller other = Gateway.subscribe(theirs, theirs.defaultPlanId());
            for (int i = 0; i < 3; i++) {
                me.call().get("/gw/" + mine.slug() + "/echo/" + i).then().statusCode(200);
            }
            for (int i = 0; i < 5; i++) {
                other.call().get("/gw/" + theirs.slug() + "/echo/" + i).then().statusCode(200);
            }
            await(() -> calls(me.consumer()) == 3 && calls(other.consumer()) == 5);
            String mineName = name(mine);
            String theirName = name(theirs);

            String page = consumer.get("/monitoring").then().statusCode(200).extract().asString();
            assertThat(page).contains("Your calls", mineName, "hx-get=\"/monitoring/figures\"")
                    .doesNotContain(theirName).doesNotContain("This node").doesNotContain("Uptime")
                    .doesNotContain(other.consumer().username());
            assertThat(stat(page, "hour-calls")).isEqualTo("3");
            assertThat(stat(page, "day-calls")).isEqualTo("3");
            String fragment = consumer.htmx("GET", "/monitoring/figures", Map.of()).then().statusCode(200).extract()
                    .asString();
            assertThat(fragment).contains(mineName).doesNotContain(theirName).doesNotContain("This node");
            assertThat(stat(fragment, "hour-calls")).isEqualTo("3");

            // a consumer cannot ask for the platform's or a provider's view
            for (String as : List.of("admin", "platform", "provider")) {
                String asked = consumer.get("/monitoring/figures?as=" + as).then().statusCode(200).extract()
                        .asString();
                assertThat(asked).doesNotContain(theirName).doesNotContain("This node");
                assertThat(stat(asked, "hour-calls")).isEqualTo("3");
            }

            String platform = Portal.admin().get("/monitoring").asString();
            assertThat(Long.parseLong(stat(platform, "hour-calls"))).isGreaterThanOrEqualTo(8);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------------

    private PublishedApi listedApi(String prefix) {
        Api.User provider = Api.register("provider");
        PublishedApi api = Gateway.publish(provider, upstream.baseUrl(), Map.of("name", prefix + " "
                + UUID.randomUUID().toString().substring(0, 8)));
        provider.as().body(Map.of("api_id", api.id(), "category", "portal-admin")).post("/api/v1/marketplace/publish")
                .then().statusCode(201);
        return api;
    }

    private static String name(PublishedApi api) {
        return api.provider().as().get("/api/v1/apis/" + api.id()).then().statusCode(200).extract().jsonPath()
                .getString("name");
    }

    private static double balance(Api.User user) {
        return user.as().get("/api/v1/users/me/credits").then().statusCode(200).extract().jsonPath()
                .getDouble("balance");
    }

    private static String payoutStatus(Api.User provider, String id) {
        return provider.as().get("/api/v1/billing/payouts").then().statusCode(200).extract().jsonPath()
                .getString("find { it.id == '" + id + "' }.status");
    }

    private static long calls(Api.User consumer) {
        return consumer.as().queryParam("as", "consumer").get("/api/v1/analytics/overview").then().statusCode(200)
                .extract().jsonPath().getLong("calls");
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("hidden field " + name).isTrue();
        return m.group(1);
    }

    /** The big number of the card with this id. */
    private static String stat(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"><div class=\"stat-label\">[^<]*</div><div class=\"stat\">"
                + "([^<]*)</div>").matcher(html);
        assertThat(m.find()).as("card " + id).isTrue();
        return m.group(1);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the usage did not arrive in time");
            }
            Thread.sleep(100);
        }
    }
}
