package dev.tollgate.marketplace;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * The marketplace over HTTP: listing and unlisting, what browsing shows and hides, ranked search with prefixes and
 * typos, filters, sorts and totals, categories, featuring, reviews, saved APIs and recommendations. Every test works
 * in categories and words of its own, since the listings of other tests share the database.
 */
abstract class MarketplaceScenarios extends WithUpstream {

    private static final String LISTINGS = "/api/v1/marketplace/listings";

    // --- listing ----------------------------------------------------------------------------------------------------

    @Test
    void a_listed_api_shows_its_plans_and_leaves_the_results_when_paused_made_private_unlisted_or_deleted() {
        String category = category();
        Api.User provider = Api.register("provider");
        PublishedApi api = Gateway.publish(provider, upstream.baseUrl(), Map.of("name", "Tide " + word(),
                "description", "Tide tables for every harbour", "tags", List.of("sea", "tides")));
        Gateway.addPlan(api, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call", 0.002));

        JsonPath listed = provider.as().body(Map.of("api_id", api.id(), "category", category, "about", "# Tides"))
                .post("/api/v1/marketplace/publish").then().statusCode(201).extract().jsonPath();
        assertThat(listed.getString("slug")).isEqualTo(api.slug());
        assertThat(listed.getString("kind")).isEqualTo("api");
        assertThat(listed.getString("title")).startsWith("Tide ");
        assertThat(listed.getString("description")).isEqualTo("Tide tables for every harbour");
        assertThat(listed.getList("tags")).containsExactly("sea", "tides");
        assertThat(listed.getString("provider.username")).isEqualTo(provider.username());
        assertThat(listed.getList("pricing_types")).containsExactly("free", "pay_per_call");
        assertThat(listed.getDouble("min_price")).isEqualTo(0.0);
        assertThat(listed.getList("plans.name")).containsExactly("Free", "Metered");
        assertThat(listed.getString("gateway_url")).endsWith("/gw/" + api.slug());
        assertThat(listed.getList("examples.language")).contains("curl", "python", "javascript", "java");
        assertThat(listed.getString("about")).isEqualTo("# Tides");

        given().queryParam("category", category).get(LISTINGS).then().statusCode(200).body("total", equalTo(1))
                .body("items[0].api_id", equalTo(api.id())).body("items[0].subscriber_count", equalTo(0))
                .body("items[0].rating", equalTo(null)).body("items[0].calls_30d", equalTo(0));
        given().get(LISTINGS + "/" + api.slug()).then().statusCode(200).body("title", startsWith("Tide"));

        // editing the API updates the listing's texts the listing does not set itself
        provider.as().body(Map.of("description", "Tides, currents and moon phases")).put("/api/v1/apis/" + api.id())
                .then().statusCode(200);
        given().get(LISTINGS + "/" + api.slug()).then().statusCode(200)
                .body("description", equalTo("Tides, currents and moon phases"));

        provider.as().post("/api/v1/apis/" + api.id() + "/pause").then().statusCode(200);
        given().queryParam("category", category).get(LISTINGS).then().statusCode(200).body("total", equalTo(0));
        given().get(LISTINGS + "/" + api.slug()).then().statusCode(404);
        provider.as().post("/api/v1/apis/" + api.id() + "/resume").then().statusCode(200);
        given().queryParam("category", category).get(LISTINGS).then().body("total", equalTo(1));

        provider.as().body(Map.of("visibility", "private")).put("/api/v1/apis/" + api.id()).then().statusCode(200);
        given().queryParam("category", category).get(LISTINGS).then().body("total", equalTo(0));
        provider.as().body(Map.of("visibility", "public")).put("/api/v1/apis/" + api.id()).then().statusCode(200);
        given().queryParam("category", category).get(LISTINGS).then().body("total", equalTo(1));

        provider.as().delete("/api/v1/marketplace/publish/" + api.id()).then().statusCode(204);
        given().queryParam("category", category).get(LISTINGS).then().body("total", equalTo(0));
        provider.as().delete("/api/v1/marketplace/publish/" + api.id()).then().statusCode(404);

        provider.as().body(Map.of("api_id", api.id(), "category", category)).post("/api/v1/marketplace/publish")
                .then().statusCode(201);
        provider.as().delete("/api/v1/apis/" + api.id()).then().statusCode(204);
        given().queryParam("category", category).get(LISTINGS).then().body("total", equalTo(0));
    }

    @Test
    void only_the_owner_lists_a_public_active_api_and_bad_fields_are_422_listing_nothing() {
        String category = category();
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Api.User stranger = Api.register("provider");
        stranger.as().body(Map.of("api_id", api.id(), "category", category)).post("/api/v1/marketplace/publish")
                .then().statusCode(403);

        for (Map<String, Object> bad : List.of(Map.<String, Object>of("category", "Bad Category!"),
                Map.<String, Object>of("category", "ai-models"), Map.<String, Object>of("title", ""),
                Map.<String, Object>of("tags", List.of("ok", "not/ok")),
                Map.<String, Object>of("logo_url", "javascript:alert(1)"),
                Map.<String, Object>of("tags", java.util.Collections.nCopies(20, "t".repeat(32))))) {
            Map<String, Object> body = new HashMap<>(Map.of("api_id", api.id(), "category", category));
            body.putAll(bad);
            String field = bad.keySet().iterator().next();
            api.provider().as().body(body).post("/api/v1/marketplace/publish").then().statusCode(422)
                    .contentType("application/problem+json").body("errors.field", hasItem(field));
        }
        api.provider().as().body(Map.of("category", category)).post("/api/v1/marketplace/publish").then()
                .statusCode(422).body("errors.field", hasItem("api_id"));
        api.provider().as().body(Map.of("api_id", api.id())).post("/api/v1/marketplace/publish").then()
                .statusCode(422).body("detail", containsString("category"));
        given().queryParam("category", category).get(LISTINGS).then().body("total", equalTo(0));

        PublishedApi hidden = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("visibility", "private"));
        hidden.provider().as().body(Map.of("api_id", hidden.id(), "category", category))
                .post("/api/v1/marketplace/publish").then().statusCode(409).body("detail", containsString("private"));
        given().queryParam("category", category).get(LISTINGS).then().body("total", equalTo(0));

        given().queryParam("sort", "loudest").get(LISTINGS).then().statusCode(422)
                .body("errors.field", hasItem("sort"));
        given().queryParam("limit", 0).get(LISTINGS).then().statusCode(422).body("errors.field", hasItem("limit"));
        given().queryParam("pricing", "barter").get(LISTINGS).then().statusCode(422)
                .body("errors.field", hasItem("pricing"));
        given().queryParam("max_price", -1).get(LISTINGS).then().statusCode(422)
                .body("errors.field", hasItem("max_price"));
        given().queryParam("max_price", "cheap").get(LISTINGS).then().statusCode(422)
                .body("errors.field", hasItem("max_price"));
        given().queryParam("limit", "ten").get(LISTINGS).then().statusCode(422).body("errors.field", hasItem("limit"));
        given().queryParam("api_id", "not-an-id").get("/api/v1/marketplace/reviews").then().statusCode(422)
                .body("errors.field", hasItem("api_id"));
        given().queryParam("limit", "many").get("/api/v1/recommendations").then().statusCode(422);

        PublishedApi claimsAi = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("category", "AI Models"));
        claimsAi.provider().as().body(Map.of("api_id", claimsAi.id())).post("/api/v1/marketplace/publish").then()
                .statusCode(422).body("detail", containsString("ai-models"));
        given().contentType("application/json").body(Map.of("api_id", api.id(), "category", category))
                .post("/api/v1/marketplace/publish").then().statusCode(401);
    }

    // --- search -----------------------------------------------------------------------------------------------------

    @Test
    void search_ranks_title_over_tags_over_description_and_forgives_prefixes_and_one_typo() {
        String category = category();
        String word = word();
        Api.User provider = Api.register("provider");
        PublishedApi inDescription = list(provider, "Harbour data " + word(), "All about the " + word + " of ports",
                List.of("ports"), category);
        PublishedApi inTitle = list(provider, "The " + word + " service", "Ships and boats", List.of("ships"),
                category);
        PublishedApi inTags = list(provider, "Fleet tracker " + word(), "Where vessels are", List.of(word, "fleet"),
                category);
        list(provider, "Unrelated " + word(), "Nothing to see", List.of("other"), category);

        JsonPath exact = given().queryParam("q", word).queryParam("category", category).get(LISTINGS).then()
                .statusCode(200).extract().jsonPath();
        assertThat(exact.getList("items.api_id")).containsExactly(inTitle.id(), inTags.id(), inDescription.id());
        assertThat(exact.getInt("total")).isEqualTo(3);
        assertThat(exact.getString("items[0].highlights.title")).isEqualTo("The <mark>" + word + "</mark> service");
        assertThat(exact.getString("items[2].highlights.description")).contains("<mark>" + word + "</mark>");
        assertThat(exact.getFloat("items[0].score")).isGreaterThan(exact.getFloat("items[1].score"));

        String prefix = word.substring(0, 5);
        assertThat(given().queryParam("q", prefix).queryParam("category", category).get(LISTINGS).then()
                .statusCode(200).extract().jsonPath().getList("items.api_id"))
                .containsExactly(inTitle.id(), inTags.id(), inDescription.id());

        String typo = word.substring(0, 4) + (word.charAt(4) == 'x' ? 'y' : 'x') + word.substring(5);
        assertThat(given().queryParam("q", typo.toUpperCase(Locale.ROOT)).queryParam("category", category)
                .get(LISTINGS).then().statusCode(200).extract().jsonPath().getList("items.api_id"))
                .containsExactly(inTitle.id(), inTags.id(), inDescription.id());

        // every word when some listing has them all; any word otherwise
        assertThat(given().queryParam("q", word + " ships").queryParam("category", category).get(LISTINGS).then()
                .extract().jsonPath().getList("items.api_id")).containsExactly(inTitle.id());
        assertThat(given().queryParam("q", word + " " + word()).queryParam("category", category).get(LISTINGS)
                .then().extract().jsonPath().getInt("total")).isEqualTo(3);
        given().queryParam("q", word()).queryParam("category", category).get(LISTINGS).then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void filters_sorts_and_pages_count_every_match() {
        String category = category();
        Api.User provider = Api.register("provider");
        PublishedApi free = list(provider, "Free one " + word(), "d", List.of("alpha", "beta"), category);
        PublishedApi metered = list(provider, "Metered one " + word(), "d", List.of("alpha"), category);
        onlyPlan(metered, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call", 0.01));
        PublishedApi monthly = list(provider, "Monthly one " + word(), "d", List.of("beta"), category);
        onlyPlan(monthly, Map.of("name", "Pro", "type", "subscription", "monthly_price", 9));
        for (int i = 0; i < 2; i++) {
            Api.User subscriber = Api.registerConsumer();
            Api.grantCredits(subscriber, 100);
            Gateway.subscribe(subscriber, monthly, planOf(monthly));
        }
        Gateway.subscribe(free, free.defaultPlanId());

        assertThat(ids(Map.of("category", category, "sort", "popular")))
                .containsExactly(monthly.id(), free.id(), metered.id());
        assertThat(ids(Map.of("category", category, "sort", "newest")))
                .containsExactly(monthly.id(), metered.id(), free.id());
        assertThat(ids(Map.of("category", category, "sort", "price")))
                .containsExactly(free.id(), metered.id(), monthly.id());
        assertThat(ids(Map.of("category", category, "pricing", "pay_per_call"))).containsExactly(metered.id());
        assertThat(ids(Map.of("category", category, "pricing", "subscription"))).containsExactly(monthly.id());
        assertThat(ids(Map.of("category", category, "max_price", 0.5, "sort", "price")))
                .containsExactly(free.id(), metered.id());
        assertThat(ids(Map.of("category", category, "tags", "alpha,beta"))).containsExactly(free.id());
        assertThat(ids(Map.of("category", category, "tags", "BETA", "sort", "newest")))
                .containsExactly(monthly.id(), free.id());

        JsonPath page = given().queryParams(Map.of("category", category, "sort", "newest", "skip", 1, "limit", 1))
                .get(LISTINGS).then().statusCode(200).extract().jsonPath();
        assertThat(page.getInt("total")).isEqualTo(3);
        assertThat(page.getList("items.api_id")).containsExactly(metered.id());
        given().queryParams(Map.of("category", category, "sort", "popular")).get(LISTINGS).then()
                .body("items[0].subscriber_count", equalTo(2)).body("items[0].min_price", equalTo(9))
                .body("items[0].pricing_types", equalTo(List.of("subscription")));

        JsonPath categories = given().get("/api/v1/marketplace/categories").then().statusCode(200).extract()
                .jsonPath();
        assertThat(categories.getList("findAll { it.category == '" + category + "' }.listings")).containsExactly(3);
    }

    @Test
    void admins_feature_a_listing_first_and_others_may_not() {
        String category = category();
        Api.User provider = Api.register("provider");
        PublishedApi popular = list(provider, "Popular " + word(), "d", List.of(), category);
        PublishedApi quiet = list(provider, "Quiet " + word(), "d", List.of(), category);
        Gateway.subscribe(popular, popular.defaultPlanId());
        assertThat(ids(Map.of("category", category))).containsExactly(popular.id(), quiet.id());

        provider.as().post("/api/v1/admin/marketplace/" + quiet.slug() + "/feature").then().statusCode(403);
        Api.admin().as().post("/api/v1/admin/marketplace/" + quiet.slug() + "/feature").then().statusCode(200)
                .body("featured", equalTo(true));
        assertThat(ids(Map.of("category", category))).containsExactly(quiet.id(), popular.id());
        assertThat(ids(Map.of("category", category, "sort", "popular"))).containsExactly(popular.id(), quiet.id());
        Api.admin().as().post("/api/v1/admin/marketplace/" + quiet.id() + "/unfeature").then().statusCode(200)
                .body("featured", equalTo(false));
        assertThat(ids(Map.of("category", category))).containsExactly(popular.id(), quiet.id());
        Api.admin().as().post("/api/v1/admin/marketplace/no-such-listing/feature").then().statusCode(404);
    }

    @Test
    void enabled_ai_models_are_listed_priced_per_million_tokens() {
        String name = "mkt-" + word();
        Api.admin().as().body(Map.of("name", name, "display_name", "Marketplace model " + name, "pricing",
                Map.of("input_per_million", 0.15, "output_per_million", 0.6), "channels",
                List.of(Map.of("provider", "openai_compatible", "base_url", "http://127.0.0.1:9/v1",
                        "upstream_model", "m", "priority", 0, "weight", 1))))
                .post("/api/v1/admin/models").then().statusCode(201);
        JsonPath found = given().queryParam("q", name).queryParam("category", "ai-models").get(LISTINGS).then()
                .statusCode(200).extract().jsonPath();
        assertThat(found.getInt("total")).isEqualTo(1);
        assertThat(found.getString("items[0].kind")).isEqualTo("model");
        assertThat(found.getList("items[0].pricing_types")).containsExactly("per_token");
        assertThat(found.getDouble("items[0].min_price")).isEqualTo(0.15);
        String slug = found.getString("items[0].slug");
        assertThat(slug).isEqualTo("ai-" + name);
        given().get(LISTINGS + "/" + slug).then().statusCode(200).body("model.id", equalTo(name))
                .body("model.pricing.output_per_million", equalTo(0.6f)).body("gateway_url", containsString("/v1"))
                .body("examples.title", hasItem("OpenAI SDK for Python"));
    }

    // --- reviews ----------------------------------------------------------------------------------------------------

    @Test
    void only_consumers_who_called_it_review_once_each_and_the_rating_follows() throws InterruptedException {
        String category = category();
        PublishedApi api = list(Api.register("provider"), "Reviewed " + word(), "d", List.of(), category);
        Caller first = Gateway.subscribe(api, api.defaultPlanId());
        Caller second = Gateway.subscribe(api, api.defaultPlanId());

        first.consumer().as().body(Map.of("api_id", api.id(), "rating", 5, "comment", "Great"))
                .post("/api/v1/marketplace/reviews").then().statusCode(403)
                .body("detail", containsString("called"));
        first.consumer().as().body(Map.of("api_id", api.id(), "rating", 6)).post("/api/v1/marketplace/reviews").then()
                .statusCode(422).body("errors.field", hasItem("rating"));
        first.consumer().as().body(Map.of("api_id", api.id(), "rating", 4.5)).post("/api/v1/marketplace/reviews")
                .then().statusCode(422).body("errors.field", hasItem("rating"));
        api.provider().as().body(Map.of("api_id", api.id(), "rating", 5)).post("/api/v1/marketplace/reviews").then()
                .statusCode(403);

        first.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        second.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        String firstReview = awaitReview(first, api, 3, "Fine").path("id");
        review(first, api, 4, "Good, after all").then().statusCode(200).body("id", equalTo(firstReview))
                .body("rating", equalTo(4));
        String secondReview = awaitReview(second, api, 5, "Great").path("id");

        given().queryParam("category", category).get(LISTINGS).then().body("items[0].rating", equalTo(4.5f))
                .body("items[0].review_count", equalTo(2));
        JsonPath reviews = given().queryParam("api_id", api.id()).queryParam("sort", "rating")
                .get("/api/v1/marketplace/reviews").then().statusCode(200).extract().jsonPath();
        assertThat(reviews.getList("items.id")).containsExactly(secondReview, firstReview);
        assertThat(reviews.getInt("total")).isEqualTo(2);
        assertThat(reviews.getString("items[1].reviewer.username")).isEqualTo(first.consumer().username());
        assertThat(reviews.getString("items[1].comment")).isEqualTo("Good, after all");

        second.consumer().as().body(Map.of("reply", "Thanks")).post("/api/v1/marketplace/reviews/" + secondReview
                + "/reply").then().statusCode(403);
        api.provider().as().body(Map.of("reply", "Thanks!")).post("/api/v1/marketplace/reviews/" + secondReview
                + "/reply").then().statusCode(200).body("reply", equalTo("Thanks!"));
        api.provider().as().body(Map.of("reply", "Again")).post("/api/v1/marketplace/reviews/" + secondReview
                + "/reply").then().statusCode(409);

        api.provider().as().post("/api/v1/admin/marketplace/reviews/" + secondReview + "/hide").then()
                .statusCode(403);
        Api.admin().as().post("/api/v1/admin/marketplace/reviews/" + secondReview + "/hide").then().statusCode(200)
                .body("hidden", equalTo(true));
        given().queryParam("category", category).get(LISTINGS).then().body("items[0].rating", equalTo(4.0f))
                .body("items[0].review_count", equalTo(1));
        given().queryParam("api_id", api.id()).get("/api/v1/marketplace/reviews").then()
                .body("items.id", equalTo(List.of(firstReview))).body("rating", equalTo(4.0f));
        Api.admin().as().queryParam("api_id", api.id()).get("/api/v1/marketplace/reviews").then()
                .body("total", equalTo(2));
    }

    // --- saved and recommendations ----------------------------------------------------------------------------------

    @Test
    void saved_apis_are_listed_until_forgotten() {
        String category = category();
        PublishedApi api = list(Api.register("provider"), "Saved " + word(), "d", List.of(), category);
        Api.User consumer = Api.registerConsumer();
        consumer.as().body(Map.of("api_id", api.id())).post("/api/v1/marketplace/save").then().statusCode(201);
        consumer.as().body(Map.of("api_id", api.id())).post("/api/v1/marketplace/save").then().statusCode(200);
        consumer.as().get("/api/v1/marketplace/saved").then().statusCode(200)
                .body("listing.api_id", equalTo(List.of(api.id())));
        consumer.as().body(Map.of("api_id", UUID.randomUUID().toString())).post("/api/v1/marketplace/save").then()
                .statusCode(404);
        consumer.as().body(Map.of()).post("/api/v1/marketplace/save").then().statusCode(422);
        consumer.as().delete("/api/v1/marketplace/save/" + api.id()).then().statusCode(204);
        consumer.as().delete("/api/v1/marketplace/save/" + api.id()).then().statusCode(404);
        consumer.as().get("/api/v1/marketplace/saved").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void recommendations_follow_the_provider_and_category_of_what_one_uses_and_skip_what_one_has() {
        String category = category();
        Api.User provider = Api.register("provider");
        PublishedApi used = list(provider, "Used " + word(), "d", List.of(), category);
        PublishedApi sibling = list(provider, "Sibling " + word(), "d", List.of(), category());
        PublishedApi neighbour = list(Api.register("provider"), "Neighbour " + word(), "d", List.of(), category);
        Caller caller = Gateway.subscribe(used, used.defaultPlanId());

        JsonPath recommended = caller.consumer().as().queryParam("limit", 100).get("/api/v1/recommendations").then()
                .statusCode(200).extract().jsonPath();
        assertThat(recommended.getList("listing.api_id")).doesNotContain(used.id());
        assertThat(recommended.getString("[0].listing.api_id")).isEqualTo(sibling.id());
        assertThat(recommended.getString("[0].reason")).startsWith("from the provider of Used ");
        assertThat(recommended.getString("[1].listing.api_id")).isEqualTo(neighbour.id());
        assertThat(recommended.getString("[1].reason")).isEqualTo("popular in " + category);

        JsonPath anonymous = given().queryParam("limit", 100).get("/api/v1/recommendations").then().statusCode(200)
                .extract().jsonPath();
        assertThat(anonymous.getList("listing.api_id")).contains(used.id());
        assertThat(anonymous.getList("reason")).allMatch(r -> r.equals("featured") || r.equals("popular on Tollgate"));
        given().queryParam("limit", 0).get("/api/v1/recommendations").then().statusCode(422);
    }

    @Test
    void site_search_finds_listings_for_anyone_and_my_own_apis_keys_and_subscriptions_for_me() {
        String word = word();
        PublishedApi listed = list(Api.register("provider"), "Listed " + word, "d", List.of(), category());
        PublishedApi mine = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("name", "Private " + word, "visibility", "private"));
        mine.provider().as().body(Map.of("name", word + " key")).post("/api/v1/api-keys").then().statusCode(201);

        JsonPath found = mine.provider().as().queryParam("q", word).get("/api/v1/search").then().statusCode(200)
                .extract().jsonPath();
        assertThat(found.getList("items.type")).containsExactlyInAnyOrder("listing", "api", "key");
        assertThat(found.getList("items.findAll { it.type == 'api' }.id")).containsExactly(mine.id());
        assertThat(found.getList("items.findAll { it.type == 'listing' }.id")).containsExactly(listed.id());
        assertThat(found.getList("items.score", Float.class)).allMatch(s -> s > 0);
        assertThat(mine.provider().as().queryParam("q", word).queryParam("type", "key").get("/api/v1/search").then()
                .extract().jsonPath().getList("items.type")).containsExactly("key");

        Caller caller = Gateway.subscribe(listed, listed.defaultPlanId());
        assertThat(caller.consumer().as().queryParam("q", word).get("/api/v1/search").then().statusCode(200)
                .extract().jsonPath().getList("items.type")).containsExactlyInAnyOrder("listing", "subscription");

        JsonPath anonymous = given().queryParam("q", word).get("/api/v1/search").then().statusCode(200).extract()
                .jsonPath();
        assertThat(anonymous.getList("items.id")).containsExactly(listed.id());
        given().queryParam("q", word).queryParam("type", "key").get("/api/v1/search").then().statusCode(401);
        given().get("/api/v1/search").then().statusCode(422).body("errors.field", hasItem("q"));
        given().queryParam("q", word).queryParam("type", "everything").get("/api/v1/search").then().statusCode(422);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private PublishedApi list(Api.User provider, String name, String description, List<String> tags,
            String category) {
        PublishedApi api = Gateway.publish(provider, upstream.baseUrl(),
                Map.of("name", name, "description", description, "tags", tags));
        provider.as().body(Map.of("api_id", api.id(), "category", category)).post("/api/v1/marketplace/publish")
                .then().statusCode(201);
        return api;
    }

    /** Makes {@code plan} the API's only plan. */
    private static void onlyPlan(PublishedApi api, Map<String, Object> plan) {
        Gateway.addPlan(api, plan);
        api.provider().as().delete("/api/v1/apis/" + api.id() + "/plans/" + api.defaultPlanId()).then()
                .statusCode(204);
    }

    private static String planOf(PublishedApi api) {
        return api.provider().as().get("/api/v1/apis/" + api.id() + "/plans").then().statusCode(200).extract()
                .jsonPath().getString("[0].id");
    }

    private static List<String> ids(Map<String, ?> query) {
        return given().queryParams(query).get(LISTINGS).then().statusCode(200).extract().jsonPath()
                .getList("items.api_id");
    }

    private static Response review(Caller caller, PublishedApi api, int rating, String comment) {
        return caller.consumer().as().body(Map.of("api_id", api.id(), "rating", rating, "comment", comment))
                .post("/api/v1/marketplace/reviews");
    }

    /** Reviews once the call has reached the usage rollups (the gateway records usage after the response). */
    private static Response awaitReview(Caller caller, PublishedApi api, int rating, String comment)
            throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            Response response = review(caller, api, rating, comment);
            if (response.statusCode() != 403) {
                assertThat(response.statusCode()).isEqualTo(201);
                return response;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the review was still refused after 5 s");
    }

    /** A category of the test's own. */
    private static String category() {
        return "cat-" + word();
    }

    /** A made-up word no other listing has (letters only, so that it is one token). */
    private static String word() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder word = new StringBuilder("zq");
        for (int i = 0; i < 8; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }
}
