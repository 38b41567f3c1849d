package dev.tollgate.portal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Portal;
import dev.tollgate.testing.TestClock;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The provider dashboard: my APIs, one API's settings, plans, listing, analytics, logs, revenue and payouts. */
@QuarkusTest
class ProviderPagesTest extends WithUpstream {

    /** Calls per page of the request logs (ProviderPages.LOG_PAGE). */
    private static final int LOG_PAGE = 50;

    @Inject
    TestClock clock;

    @BeforeEach
    void realTime() {
        clock.reset();
    }

    /** Creates an API through the "New API" form; returns its id. */
    private static String createApi(Portal provider, String name, String visibility) {
        Response created = provider.post("/provider/apis", Map.of("name", name, "base_url", upstream.baseUrl(),
                "description", "Weather for tests", "category", "weather", "visibility", visibility));
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(303);
        String location = created.getHeader("Location");
        assertThat(location).contains("/provider/apis/");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static JsonPath apiJson(Portal provider, String id) {
        return provider.user().as().get("/api/v1/apis/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static String page(Portal portal, String path) {
        Response response = portal.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.asString()).isEqualTo(200);
        return response.asString();
    }

    /** The page once it passes {@code check} (usage and charges are written asynchronously). */
    private static String awaitPage(Portal portal, String path, Predicate<String> check) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        String body = page(portal, path);
        while (!check.test(body)) {
            assertThat(System.currentTimeMillis()).as("waited 15 s for " + path + "; last:\n" + body)
                    .isLessThan(deadline);
            Thread.sleep(100);
            body = page(portal, path);
        }
        return body;
    }

    @Test
    void a_new_provider_sees_the_empty_state_and_creates_an_api_through_the_form() {
        Portal provider = Portal.signUp("provider");
        String empty = page(provider, "/provider");
        assertThat(empty).contains("Create your first API").contains("href=\"/create\"")
                .contains("id=\"assistant-slot\"").contains("hx-get=\"/create/assistant\"")
                .contains("href=\"/create/assistant\"").doesNotContain("id=\"api-list\"");

        String name = Api.uniqueName("Forecasts");
        String id = createApi(provider, name, "private");

        JsonPath api = apiJson(provider, id);
        assertThat(api.getString("name")).isEqualTo(name);
        assertThat(api.getString("base_url")).isEqualTo(upstream.baseUrl());
        assertThat(api.getString("category")).isEqualTo("weather");
        assertThat(api.getString("visibility")).isEqualTo("private");
        assertThat(api.getString("status")).isEqualTo("active");

        String dashboard = page(provider, "/provider");
        assertThat(dashboard).contains("id=\"api-list\"").contains(name).contains("/provider/apis/" + id)
                .doesNotContain("Create your first API");
        assertThat(page(provider, "/provider/apis/" + id)).contains(name).contains("/gw/" + api.getString("slug"))
                .contains("Free");
    }

    @Test
    void an_invalid_base_url_is_shown_on_the_form_and_creates_nothing() {
        Portal provider = Portal.signUp("provider");
        String name = Api.uniqueName("Broken");
        Response refused = provider.post("/provider/apis", Map.of("name", name, "base_url", "not a url",
                "description", "No upstream", "visibility", "public"));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.asString()).contains("id=\"new-api-error\"").contains("base_url")
                .contains("value=\"" + name + "\"");
        provider.user().as().get("/api/v1/apis").then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));
    }

    @Test
    void plans_pause_resume_import_and_publish_through_the_api_page() {
        Portal provider = Portal.signUp("provider");
        String name = Api.uniqueName("Quotes");
        String id = createApi(provider, name, "public");
        String slug = apiJson(provider, id).getString("slug");

        Response added = provider.post("/provider/apis/" + id + "/plans", Map.of("name", "Metered", "type",
                "pay_per_call", "price_per_call", "0.05", "monthly_price", "", "rate_requests", "100",
                "rate_period", "minute", "monthly_quota", ""));
        assertThat(added.statusCode()).as(added.asString()).isEqualTo(303);
        List<Map<String, Object>> plans = provider.user().as().get("/api/v1/apis/" + id + "/plans").then()
                .statusCode(200).extract().jsonPath().getList("findAll { it.type == 'pay_per_call' }");
        assertThat(plans).hasSize(1);
        assertThat(plans.get(0)).containsEntry("name", "Metered");
        assertThat(plans.get(0).get("price_per_call").toString()).isEqualTo("0.05");
        String planId = plans.get(0).get("id").toString();
        assertThat(page(provider, "/provider/apis/" + id)).contains("$0.05 per call").contains("100 per minute")
                .contains("action=\"/provider/apis/" + id + "/plans\"")
                .contains("action=\"/provider/apis/" + id + "/plans/" + planId + "\"")
                .contains("action=\"/provider/apis/" + id + "/plans/" + planId + "/delete\"")
                .contains("name=\"_csrf\" value=\"" + provider.csrf() + "\"");
        Response edited = provider.post("/provider/apis/" + id + "/plans/" + planId, Map.of("name", "Metered",
                "type", "pay_per_call", "price_per_call", "0.07", "rate_requests", "", "rate_period", "minute"));
        assertThat(edited.statusCode()).as(edited.asString()).isEqualTo(303);
        assertThat(provider.user().as().get("/api/v1/apis/" + id + "/plans/" + planId).then().statusCode(200)
                .extract().jsonPath().getString("price_per_call")).isEqualTo("0.07");

        Response noPrice = provider.post("/provider/apis/" + id + "/plans", Map.of("name", "Cheap", "type",
                "pay_per_call", "price_per_call", ""));
        assertThat(noPrice.statusCode()).isEqualTo(422);
        assertThat(noPrice.asString()).contains("id=\"plan-error\"").contains("price_per_call")
                .contains("value=\"Cheap\"");
        assertThat(provider.user().as().get("/api/v1/apis/" + id + "/plans").then().extract().jsonPath()
                .getList("name")).doesNotContain("Cheap");

        assertThat(provider.post("/provider/apis/" + id + "/pause", Map.of()).statusCode()).isEqualTo(303);
        assertThat(apiJson(provider, id).getString("status")).isEqualTo("paused");
        assertThat(page(provider, "/provider/apis/" + id)).contains("Resume API");
        assertThat(provider.post("/provider/apis/" + id + "/resume", Map.of()).statusCode()).isEqualTo(303);
        assertThat(apiJson(provider, id).getString("status")).isEqualTo("active");

        String document = """
                {"openapi": "3.0.3", "info": {"title": "Quotes", "version": "1"},
                 "paths": {"/quotes/{id}": {"get": {"summary": "One quote",
                   "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                   "responses": {"200": {"description": "ok"}}}}}}""";
        assertThat(provider.post("/provider/apis/" + id + "/openapi", Map.of("document", document, "url", ""))
                .statusCode()).isEqualTo(303);
        assertThat(page(provider, "/provider/apis/" + id)).contains("id=\"endpoint-list\"").contains("/quotes/{id}")
                .contains("One quote");
        Response badDocument = provider.post("/provider/apis/" + id + "/openapi", Map.of("document",
                "{\"swagger\": \"2.0\"}", "url", ""));
        assertThat(badDocument.statusCode()).isEqualTo(422);
        assertThat(badDocument.asString()).contains("id=\"openapi-error\"").contains("Swagger");

        Response published = provider.post("/provider/apis/" + id + "/publish", Map.of("title", name + " Pro",
                "description", "Quotes with a listing of their own", "category", "finance", "tags", "quotes, stocks"));
        assertThat(published.statusCode()).as(published.asString()).isEqualTo(303);
        JsonPath listings = given().get("/api/v1/marketplace/listings?sort=newest&limit=100").then().statusCode(200)
                .extract().jsonPath();
        assertThat(listings.getList("items.slug")).contains(slug);
        assertThat(listings.getList("items.title")).contains(name + " Pro");
        assertThat(page(provider, "/provider/apis/" + id)).contains("href=\"/marketplace/" + slug + "\"")
                .contains("Unpublish");

        assertThat(provider.post("/provider/apis/" + id + "/unpublish", Map.of()).statusCode()).isEqualTo(303);
        assertThat(given().get("/api/v1/marketplace/listings?sort=newest&limit=100").then().extract().jsonPath()
                .getList("items.slug")).doesNotContain(slug);
    }

    @Test
    void a_private_api_cannot_be_published_and_the_page_says_why() {
        Portal provider = Portal.signUp("provider");
        String id = createApi(provider, Api.uniqueName("Hidden"), "private");
        Response refused = provider.post("/provider/apis/" + id + "/publish", Map.of("title", "", "description", "",
                "category", "", "tags", ""));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.asString()).contains("The API is private");
    }

    @Test
    void settings_are_saved_and_deleting_needs_the_slug() {
        Portal provider = Portal.signUp("provider");
        String id = createApi(provider, Api.uniqueName("Renamed"), "private");
        String slug = apiJson(provider, id).getString("slug");
        String newName = Api.uniqueName("Better name");
        Response saved = provider.post("/provider/apis/" + id + "/settings", Map.of("name", newName, "description",
                "New text", "base_url", upstream.baseUrl(), "version", "2.0", "category", "", "tags", "a, b",
                "visibility", "public", "timeout_ms", "5000"));
        assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(303);
        JsonPath api = apiJson(provider, id);
        assertThat(api.getString("name")).isEqualTo(newName);
        assertThat(api.getString("version")).isEqualTo("2.0");
        assertThat(api.getString("category")).isNull();
        assertThat(api.getList("tags")).containsExactly("a", "b");
        assertThat(api.getString("visibility")).isEqualTo("public");
        assertThat(api.getInt("timeout_ms")).isEqualTo(5000);

        Response badTimeout = provider.post("/provider/apis/" + id + "/settings", Map.of("name", newName,
                "description", "x", "base_url", upstream.baseUrl(), "version", "2.0", "visibility", "public",
                "timeout_ms", "5"));
        assertThat(badTimeout.statusCode()).isEqualTo(422);
        assertThat(badTimeout.asString()).contains("timeout_ms");
        assertThat(apiJson(provider, id).getInt("timeout_ms")).isEqualTo(5000);

        Response unconfirmed = provider.post("/provider/apis/" + id + "/delete", Map.of("confirm", "nope"));
        assertThat(unconfirmed.statusCode()).isEqualTo(422);
        assertThat(unconfirmed.asString()).contains("id=\"delete-error\"").contains(slug);
        apiJson(provider, id);
        Response deleted = provider.post("/provider/apis/" + id + "/delete", Map.of("confirm", slug));
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.getHeader("Location")).endsWith("/provider");
        provider.user().as().get("/api/v1/apis/" + id).then().statusCode(404);
    }

    @Test
    void another_provider_can_neither_see_nor_change_my_api_and_consumers_get_no_dashboard() {
        Portal owner = Portal.signUp("provider");
        String name = Api.uniqueName("Mine");
        String publicId = createApi(owner, name, "public");
        String privateId = createApi(owner, Api.uniqueName("Secret"), "private");
        Portal other = Portal.signUp("provider");

        for (String id : List.of(publicId, privateId)) {
            for (String path : List.of("", "/analytics", "/logs")) {
                Response seen = other.get("/provider/apis/" + id + path);
                assertThat(seen.statusCode()).as(path).isIn(403, 404);
                assertThat(seen.asString()).doesNotContain(upstream.baseUrl());
            }
            Map<String, Map<String, String>> posts = new HashMap<>();
            posts.put("/pause", Map.of());
            posts.put("/settings", Map.of("name", "Taken over", "description", "x", "version", "9",
                    "visibility", "public"));
            posts.put("/plans", Map.of("name", "Hijack", "type", "free"));
            posts.put("/delete", Map.of("confirm", apiJson(owner, id).getString("slug")));
            posts.put("/publish", Map.of("title", "Hijacked", "category", "spam"));
            posts.forEach((path, form) -> assertThat(other.post("/provider/apis/" + id + path, form).statusCode())
                    .as(path).isIn(403, 404));
            JsonPath api = apiJson(owner, id);
            assertThat(api.getString("status")).isEqualTo("active");
            assertThat(api.getString("name")).isNotEqualTo("Taken over");
            assertThat(owner.user().as().get("/api/v1/apis/" + id + "/plans").then().extract().jsonPath()
                    .getList("name")).doesNotContain("Hijack");
        }
        assertThat(page(other, "/provider")).doesNotContain(name);
        assertThat(given().get("/api/v1/marketplace/listings?sort=newest&limit=100").then().extract().jsonPath()
                .getList("items.title")).doesNotContain("Hijacked");

        Portal consumer = Portal.signUp("consumer");
        assertThat(consumer.get("/provider").statusCode()).isEqualTo(403);
        assertThat(consumer.get("/provider/revenue").statusCode()).isEqualTo(403);
        assertThat(consumer.post("/provider/apis", Map.of("name", "Sneaky", "base_url", upstream.baseUrl(),
                "description", "x")).statusCode()).isEqualTo(403);
        assertThat(Portal.anonymous().get("/provider").statusCode()).isEqualTo(303);
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
        Portal provider = Portal.signUp("provider");
        String id = createApi(provider, Api.uniqueName("Guarded"), "public");
        assertThat(provider.post("/provider/apis/" + id + "/pause", Map.of("_csrf", "")).statusCode())
                .isEqualTo(403);
        assertThat(provider.post("/provider/apis/" + id + "/delete", Map.of("_csrf", "forged", "confirm",
                apiJson(provider, id).getString("slug"))).statusCode()).isEqualTo(403);
        assertThat(provider.post("/provider/apis", Map.of("_csrf", "", "name", "Forged", "base_url",
                upstream.baseUrl(), "description", "x")).statusCode()).isEqualTo(403);
        assertThat(apiJson(provider, id).getString("status")).isEqualTo("active");
        assertThat(provider.user().as().get("/api/v1/apis").then().extract().jsonPath().getList("name"))
                .hasSize(1);
    }

    @Test
    void analytics_logs_and_revenue_show_a_call_through_the_gateway() throws Exception {
        Portal provider = Portal.signUp("provider");
        String id = createApi(provider, Api.uniqueName("Metered"), "public");
        JsonPath api = apiJson(provider, id);
        Gateway.PublishedApi published = new Gateway.PublishedApi(provider.user(), id, api.getString("slug"),
                null);
        Gateway.Caller caller = Gateway.payingCaller(published, 13, 20);
        String marker = "portal-" + UUID.randomUUID().toString().substring(0, 8);
        caller.call().get("/gw/" + published.slug() + "/echo/" + marker).then().statusCode(200);

        String logs = awaitPage(provider, "/provider/apis/" + id + "/logs", b -> b.contains(marker));
        assertThat(logs).contains("/echo/" + marker).contains(">200<").contains(caller.consumer().username())
                .contains("GET");
        assertThat(page(provider, "/provider/apis/" + id + "/logs?status=5xx")).doesNotContain(marker)
                .contains("No calls yet");
        assertThat(page(provider, "/provider/apis/" + id + "/logs?status=2xx")).contains(marker);

        String analytics = awaitPage(provider, "/provider/apis/" + id + "/analytics?range=24h",
                b -> b.contains("id=\"total-calls\">1<"));
        assertThat(analytics).contains("data-chart=").contains(caller.consumer().username())
                .contains("id=\"series-data\"").contains("chart.umd.js");
        assertThat(page(provider, "/provider/apis/" + id + "/analytics?range=30d")).contains("id=\"total-calls\">1<");

        // 13 per call, 20% platform fee
        String revenue = awaitPage(provider, "/provider/revenue", b -> b.contains("id=\"net\">$10.40<"));
        assertThat(revenue).contains("id=\"gross\">$13.00<").contains("id=\"fee\">$2.60<")
                .contains("id=\"available\">$10.40<").contains(api.getString("name")).contains("No payouts yet");
        assertThat(page(provider, "/provider")).contains("$10.40");

        Response tooSmall = provider.post("/provider/revenue/payouts", Map.of("amount", "0.50"));
        assertThat(tooSmall.statusCode()).isEqualTo(422);
        assertThat(tooSmall.asString()).contains("id=\"payout-error\"").contains("at least 10");
        provider.user().as().get("/api/v1/billing/payouts").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(0));
        Response requested = provider.post("/provider/revenue/payouts", Map.of("amount", "10"));
        assertThat(requested.statusCode()).as(requested.asString()).isEqualTo(303);
        assertThat(page(provider, "/provider/revenue")).contains("id=\"payout-history\"").contains("$10.00")
                .contains(">pending<").contains("id=\"available\">$0.40<");

        // another provider sees none of it
        Portal other = Portal.signUp("provider");
        assertThat(page(other, "/provider/revenue")).contains("id=\"net\">$0.00<").doesNotContain(
                api.getString("name"));
    }

    @Test
    void the_logs_load_more_calls_with_htmx_and_without() throws Exception {
        Portal provider = Portal.signUp("provider");
        String id = createApi(provider, Api.uniqueName("Busy"), "public");
        Gateway.PublishedApi published = new Gateway.PublishedApi(provider.user(), id,
                apiJson(provider, id).getString("slug"), null);
        Gateway.Caller caller = Gateway.payingCaller(published, 0.01, 10);
        int calls = LOG_PAGE + 2;
        for (int i = 0; i < calls; i++) {
            caller.call().get("/gw/" + published.slug() + "/echo/n" + i).then().statusCode(200);
        }
        String first = awaitPage(provider, "/provider/apis/" + id + "/logs",
                b -> b.contains("/echo/n" + (calls - 1) + "<"));
        assertThat(first).contains("/echo/n" + (calls - 1) + "<").doesNotContain("/echo/n1<")
                .contains("href=\"/provider/apis/" + id + "/logs?skip=" + LOG_PAGE + "\"")
                .contains("hx-get=\"/provider/apis/" + id + "/logs?skip=" + LOG_PAGE + "\"");

        Response more = provider.htmx("GET", "/provider/apis/" + id + "/logs?skip=" + LOG_PAGE,
                Map.of());
        assertThat(more.statusCode()).isEqualTo(200);
        assertThat(more.asString()).doesNotContain("<html").contains("/echo/n1<").contains("/echo/n0<")
                .doesNotContain("/echo/n2<").doesNotContain("Load more");
        assertThat(page(provider, "/provider/apis/" + id + "/logs?skip=" + LOG_PAGE))
                .contains("<html").contains("/echo/n0<").contains("Back to the newest");
    }
}
