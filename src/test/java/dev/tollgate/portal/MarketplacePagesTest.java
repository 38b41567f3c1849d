package dev.tollgate.portal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

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

/**
 * The marketplace's pages as a browser sees them: browsing, searching and filtering without signing in, the htmx
 * results fragment, a listing's page (plans, endpoints, snippets, console), and its forms (subscribe, save, review),
 * each checked over the JSON API; the AI models page.
 */
@QuarkusTest
class MarketplacePagesTest extends WithUpstream {

    private static final String OPENAPI = """
            {"openapi": "3.0.0", "info": {"title": "Tides", "version": "1.0"},
             "paths": {"/tides": {"get": {"operationId": "listTides", "summary": "Tide tables of a harbour",
                 "parameters": [{"name": "harbour", "in": "query", "required": true, "description": "Harbour code",
                                 "schema": {"type": "string"}}],
                 "responses": {"200": {"description": "The tides"}}}},
               "/tides/{id}": {"delete": {"operationId": "forgetTide", "summary": "Forget a tide",
                 "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                 "responses": {"204": {"description": "Gone"}}}}}}""";

    @Test
    void anyone_browses_searches_and_filters_and_sees_an_empty_state() {
        String category = "cat-" + word();
        String word = word();
        Api.User provider = Api.register("provider");
        PublishedApi free = list(provider, "Harbour " + word + " tides", "Tides for every <harbour>", category);
        PublishedApi monthly = list(provider, "Moon " + word + " phases", "Moon phases", category);
        onlyPlan(monthly, Map.of("name", "Pro", "type", "subscription", "monthly_price", 9));
        PublishedApi elsewhere = list(provider, "Other " + word, "Elsewhere", "cat-" + word());
        Portal visitor = Portal.anonymous();

        String all = visitor.get("/marketplace?category=" + category).then().statusCode(200).extract().asString();
        assertThat(all).contains("<h1>Marketplace</h1>", "Harbour " + word + " tides", "Moon " + word + " phases",
                "href=\"/marketplace/" + free.slug() + "\"", "by " + provider.username(), "2 results",
                "Tides for every &lt;harbour&gt;", "Free plan", "From $9.00", "Monthly")
                .doesNotContain("Other " + word);

        String searched = visitor.get("/marketplace?q=" + word).then().statusCode(200).extract().asString();
        assertThat(searched).contains("<mark>" + word + "</mark>", "/marketplace/" + free.slug(),
                "/marketplace/" + monthly.slug(), "/marketplace/" + elsewhere.slug(), "value=\"" + word + "\"");

        String filtered = visitor.get("/marketplace?q=" + word + "&pricing=subscription").then().statusCode(200)
                .extract().asString();
        assertThat(filtered).contains("/marketplace/" + monthly.slug()).doesNotContain("/marketplace/" + free.slug())
                .contains("<option value=\"subscription\" selected>");

        String cheapest = visitor.get("/marketplace?category=" + category + "&sort=price").then().statusCode(200)
                .extract().asString();
        assertThat(cheapest.indexOf("/marketplace/" + free.slug()))
                .isLessThan(cheapest.indexOf("/marketplace/" + monthly.slug())).isPositive();

        assertThat(visitor.get("/marketplace?q=" + word()).then().statusCode(200).extract().asString())
                .contains("id=\"market-empty\"", "No APIs or models match");
        assertThat(visitor.get("/marketplace?sort=loudest").then().statusCode(422).extract().asString())
                .contains("class=\"alert error\"", "sort");
    }

    @Test
    void the_search_box_gets_only_the_results_from_htmx_and_pages_through_them() {
        String category = "cat-" + word();
        Api.User provider = Api.register("provider");
        for (int i = 0; i < 21; i++) {
            list(provider, "Paged " + word(), "One of many", category);
        }
        Portal visitor = Portal.anonymous();
        Response fragment = visitor.htmx("GET", "/marketplace?category=" + category, Map.of());
        assertThat(fragment.statusCode()).isEqualTo(200);
        assertThat(fragment.asString()).doesNotContain("<html", "<nav class=\"bar\"")
                .contains("id=\"market-count\"", "21 results, page 1 of 2", "href=\"/marketplace?category="
                        + category + "&amp;page=2\"", "hx-push-url=\"true\"");
        assertThat(fragment.asString().split("class=\"card listing market-card\"")).hasSize(21);

        String second = visitor.get("/marketplace?category=" + category + "&page=2").then().statusCode(200)
                .extract().asString();
        assertThat(second).contains("<html", "page 2 of 2", "rel=\"prev\"").doesNotContain("rel=\"next\"");
        assertThat(second.split("class=\"card listing market-card\"")).hasSize(2);

        // the full page carries the live search: hx-get of the same address on input, after 250 ms, pushed to history
        String page = visitor.get("/marketplace").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"market-q\"", "hx-get=\"/marketplace\"",
                "hx-trigger=\"input changed delay:250ms, search\"", "hx-push-url=\"true\"", "action=\"/marketplace\"");
    }

    @Test
    void a_listing_shows_plans_endpoints_console_and_snippets_with_its_gateway_path() {
        Api.User provider = Api.register("provider");
        PublishedApi api = list(provider, "Tides " + word(), "Tide tables", "cat-" + word());
        Gateway.addPlan(api, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call", 0.002,
                "rate_limit", Map.of("requests", 100, "period", "minute")));
        provider.as().body(OPENAPI).post("/api/v1/apis/" + api.id() + "/openapi").then().statusCode(200);

        String page = Portal.anonymous().get("/marketplace/" + api.slug()).then().statusCode(200).extract()
                .asString();
        assertThat(page).contains("id=\"listing-title\"", "by <strong>" + provider.username() + "</strong>",
                "<strong>Free</strong>", "<strong>Metered</strong>", "$0.002 per call", "100 requests a minute",
                "Subscribe to the Metered plan");
        assertThat(page).contains("<code>/tides</code> — Tide tables of a harbour", "<code>/tides/{id}</code>",
                "<code>harbour</code>", "Harbour code", "data-try-path=\"/tides\"");
        assertThat(page).contains("id=\"tryit-method\"", "id=\"tryit-path\"", "id=\"tryit-key\"", "id=\"tryit-body\"",
                "id=\"tryit-send\"", "id=\"tryit-status\"", "id=\"tryit-latency\"", "id=\"tryit-headers\"",
                "id=\"tryit-response\"", "data-base=\"/gw/" + api.slug() + "\"", "value=\"/tides\"",
                "/static/tryit.js");
        // snippets: curl, Python, JavaScript and Java on the gateway path of the first plain GET endpoint
        String gateway = "/gw/" + api.slug() + "/tides";
        assertThat(page).contains("curl &quot;http://localhost:", gateway + "&quot;", "requests.get(",
                "await fetch(", "HttpRequest.newBuilder", "data-copy=\"#snippet-0\"", "id=\"snippet-3\"");
        assertThat(page).contains("id=\"no-reviews\"");
    }

    @Test
    void subscribing_by_the_form_needs_the_csrf_token_and_a_sign_in() {
        PublishedApi api = list(Api.register("provider"), "Subscribable " + word(), "d", "cat-" + word());
        String metered = Gateway.addPlan(api, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call",
                0.001));

        Portal anonymous = Portal.anonymous();
        anonymous.get("/marketplace/" + api.slug()).then().statusCode(200);
        Response toSignIn = anonymous.post("/marketplace/" + api.slug() + "/subscribe", Map.of("plan_id", metered));
        assertThat(toSignIn.statusCode()).isEqualTo(303);
        assertThat(toSignIn.header("Location")).endsWith("/signin?next=%2Fmarketplace%2F" + api.slug());

        Portal consumer = Portal.signUp("consumer");
        String page = consumer.get("/marketplace/" + api.slug()).then().statusCode(200).extract().asString();
        assertThat(page).contains("value=\"" + metered + "\"");
        Response forged = consumer.post("/marketplace/" + api.slug() + "/subscribe",
                Map.of("plan_id", metered, "_csrf", "not-the-token"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(subscriptions(consumer.user())).isEmpty();
        Response noToken = consumer.request().contentType("application/x-www-form-urlencoded")
                .formParam("plan_id", metered).post("/marketplace/" + api.slug() + "/subscribe");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(subscriptions(consumer.user())).isEmpty();

        Response subscribed = consumer.post("/marketplace/" + api.slug() + "/subscribe", Map.of("plan_id", metered));
        assertThat(subscribed.statusCode()).as(subscribed.asString()).isEqualTo(303);
        assertThat(subscribed.header("Location")).endsWith("/marketplace/" + api.slug());
        List<Map<String, Object>> mine = subscriptions(consumer.user());
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0)).containsEntry("api_id", api.id()).containsEntry("plan_id", metered);
        assertThat(consumer.get("/marketplace/" + api.slug()).asString()).contains("You subscribe to",
                "id=\"subscribed\"", "<span class=\"badge ok\">Your plan</span>");

        // again: the service's conflict is shown on the page, and nothing changes
        String again = consumer.post("/marketplace/" + api.slug() + "/subscribe", Map.of("plan_id", metered)).then()
                .statusCode(409).extract().asString();
        assertThat(again).contains("id=\"listing-error\"", "already subscribe");
        assertThat(subscriptions(consumer.user())).hasSize(1);
        assertThat(consumer.post("/marketplace/" + api.slug() + "/subscribe", Map.of("plan_id", "nonsense"))
                .then().statusCode(400).extract().asString()).contains("Choose a plan");

        // another consumer sees nothing of it
        assertThat(Portal.signUp("consumer").get("/marketplace/" + api.slug()).asString())
                .doesNotContain("id=\"subscribed\"", "Your plan").contains("Subscribe to the Metered plan");
    }

    @Test
    void saving_and_unsaving_show_on_the_page_and_over_the_api() {
        PublishedApi api = list(Api.register("provider"), "Savable " + word(), "d", "cat-" + word());
        Portal consumer = Portal.signUp("consumer");
        consumer.get("/marketplace/" + api.slug()).then().statusCode(200);
        Response forged = consumer.post("/marketplace/" + api.slug() + "/save", Map.of("_csrf", "forged"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(savedIds(consumer.user())).doesNotContain(api.id());

        assertThat(consumer.post("/marketplace/" + api.slug() + "/save", Map.of()).statusCode()).isEqualTo(303);
        assertThat(savedIds(consumer.user())).contains(api.id());
        assertThat(consumer.get("/marketplace/" + api.slug()).asString()).contains("id=\"unsave\"", "Saved "
                + "Savable");
        assertThat(Portal.signUp("consumer").get("/marketplace/" + api.slug()).asString()).contains("id=\"save\"")
                .doesNotContain("id=\"unsave\"");

        assertThat(consumer.post("/marketplace/" + api.slug() + "/unsave", Map.of()).statusCode()).isEqualTo(303);
        assertThat(savedIds(consumer.user())).doesNotContain(api.id());
        assertThat(consumer.get("/marketplace/" + api.slug()).asString()).contains("id=\"save\"");
    }

    @Test
    void a_subscriber_reviews_after_a_successful_call_and_not_before() throws InterruptedException {
        PublishedApi api = list(Api.register("provider"), "Reviewable " + word(), "d", "cat-" + word());
        Portal consumer = Portal.signUp("consumer");
        Caller caller = Gateway.subscribe(consumer.user(), api, api.defaultPlanId());
        String page = consumer.get("/marketplace/" + api.slug()).asString();
        assertThat(page).contains("id=\"review-form\"");
        assertThat(Portal.signUp("consumer").get("/marketplace/" + api.slug()).asString())
                .doesNotContain("id=\"review-form\"");

        String refused = consumer.post("/marketplace/" + api.slug() + "/review",
                Map.of("rating", "4", "comment", "Before calling")).then().statusCode(403).extract().asString();
        assertThat(refused).contains("id=\"review-error\"", "make a call first", "Before calling");
        assertThat(reviewCount(api)).isZero();
        assertThat(consumer.post("/marketplace/" + api.slug() + "/review", Map.of("rating", "9")).statusCode())
                .isEqualTo(422);

        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        Response posted = null;
        for (int i = 0; i < 50; i++) { // the call reaches the usage rollups shortly after the answer
            posted = consumer.post("/marketplace/" + api.slug() + "/review",
                    Map.of("rating", "4", "comment", "Accurate <tides>"));
            if (posted.statusCode() != 403) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(posted.statusCode()).as(posted.asString()).isEqualTo(303);
        assertThat(reviewCount(api)).isEqualTo(1);
        String reviewed = Portal.anonymous().get("/marketplace/" + api.slug()).asString();
        assertThat(reviewed).contains("Accurate &lt;tides&gt;", consumer.user().username(), "★★★★☆",
                "<span class=\"muted small\">(1)</span>");
    }

    @Test
    void an_unknown_listing_is_a_404_page() {
        String page = Portal.anonymous().get("/marketplace/no-such-" + word()).then().statusCode(404)
                .contentType("text/html").extract().asString();
        assertThat(page).contains("404 · Not Found", "No listing with slug");
        Portal consumer = Portal.signUp("consumer");
        consumer.get("/marketplace").then().statusCode(200);
        assertThat(consumer.post("/marketplace/no-such-" + word() + "/subscribe", Map.of("plan_id", "x"))
                .statusCode()).isEqualTo(404);
    }

    @Test
    void the_models_page_lists_models_with_prices_and_the_users_key_prefixes() {
        String name = "page-" + word();
        Api.admin().as().body(Map.of("name", name, "display_name", "Page model " + name, "pricing",
                Map.of("input_per_million", 0.15, "output_per_million", 0.6), "max_output_tokens", 4096, "channels",
                List.of(Map.of("provider", "openai_compatible", "base_url", "http://127.0.0.1:9/v1",
                        "upstream_model", "m", "priority", 0, "weight", 1))))
                .post("/api/v1/admin/models").then().statusCode(201);

        String anonymous = Portal.anonymous().get("/models").then().statusCode(200).extract().asString();
        assertThat(anonymous).contains("id=\"model-" + name + "\"", "Page model " + name, "$0.15", "$0.60", "4,096",
                "openai_compatible", "href=\"/marketplace/ai-" + name + "\"", "YOUR_TOLLGATE_KEY",
                "base_url=&quot;http://localhost:", "/v1&quot;, api_key=&quot;YOUR_TOLLGATE_KEY&quot;",
                "anthropic.Anthropic(base_url=&quot;http://localhost:", "href=\"/dashboard/keys\"");

        Portal consumer = Portal.signUp("consumer");
        String mine = consumer.user().as().body(Map.of("name", "laptop")).post("/api/v1/api-keys").then()
                .statusCode(201).extract().jsonPath().getString("prefix");
        Portal other = Portal.signUp("consumer");
        String theirs = other.user().as().body(Map.of("name", "theirs")).post("/api/v1/api-keys").then()
                .statusCode(201).extract().jsonPath().getString("prefix");
        String page = consumer.get("/models").then().statusCode(200).extract().asString();
        assertThat(page).contains(mine + "…", "laptop").doesNotContain(theirs);
        assertThat(other.get("/models").asString()).contains(theirs + "…").doesNotContain(mine);

        String listing = Portal.anonymous().get("/marketplace/ai-" + name).then().statusCode(200).extract()
                .asString();
        assertThat(listing).contains("id=\"model-pricing\"", "$0.15", "/v1/chat/completions",
                "OpenAI SDK for Python", "Anthropic SDK for JavaScript", "data-base=\"/v1\"");
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private PublishedApi list(Api.User provider, String name, String description, String category) {
        PublishedApi api = Gateway.publish(provider, upstream.baseUrl(),
                Map.of("name", name, "description", description));
        provider.as().body(Map.of("api_id", api.id(), "category", category)).post("/api/v1/marketplace/publish")
                .then().statusCode(201);
        return api;
    }

    private static void onlyPlan(PublishedApi api, Map<String, Object> plan) {
        Gateway.addPlan(api, new HashMap<>(plan));
        api.provider().as().delete("/api/v1/apis/" + api.id() + "/plans/" + api.defaultPlanId()).then()
                .statusCode(204);
    }

    private static List<Map<String, Object>> subscriptions(Api.User user) {
        return user.as().get("/api/v1/subscriptions").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<String> savedIds(Api.User user) {
        return user.as().get("/api/v1/marketplace/saved").then().statusCode(200).extract().jsonPath()
                .getList("listing.api_id");
    }

    private static int reviewCount(PublishedApi api) {
        return given().queryParam("api_id", api.id()).get("/api/v1/marketplace/reviews").then().statusCode(200)
                .extract().jsonPath().getInt("total");
    }

    /** A made-up word no other listing has (letters only, so that it is one search token). */
    private static String word() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder word = new StringBuilder("zq");
        for (int i = 0; i < 8; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }
}
