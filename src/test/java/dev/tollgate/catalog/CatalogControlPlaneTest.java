package dev.tollgate.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** APIs, plans and subscriptions over HTTP: what they answer, who may do what, and bad input changing nothing. */
@QuarkusTest
class CatalogControlPlaneTest {

    private static final String UPSTREAM = "http://127.0.0.1:9/v1";

    @Test
    void publishing_derives_a_unique_slug_and_creates_a_default_free_plan() {
        Api.User provider = Api.register("provider");
        String name = "Weather " + Api.uniqueName("Api");
        JsonPath first = provider.as().body(Map.of("name", name, "description", "Forecasts", "base_url", UPSTREAM,
                "tags", List.of("weather", "geo"), "visibility", "public")).post("/api/v1/apis").then()
                .statusCode(201).header("Location", containsString("/api/v1/apis/"))
                .body("status", equalTo("active")).body("visibility", equalTo("public"))
                .body("version", equalTo("1.0")).body("timeout_ms", equalTo(30000))
                .body("base_url", equalTo(UPSTREAM)).extract().jsonPath();
        String slug = ApiCatalog.slugOf(name);
        assertThat(first.getString("slug")).isEqualTo(slug);
        assertThat(first.getString("gateway_url")).isEqualTo("/gw/" + slug);
        assertThat(first.getList("tags")).containsExactly("weather", "geo");

        JsonPath second = provider.as().body(Map.of("name", name, "description", "Again", "base_url", UPSTREAM))
                .post("/api/v1/apis").then().statusCode(201).body("visibility", equalTo("private")).extract()
                .jsonPath();
        assertThat(second.getString("slug")).isEqualTo(slug + "-2");

        provider.as().get("/api/v1/apis/" + first.getString("id") + "/plans").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].type", equalTo("free")).body("[0].is_default", equalTo(true))
                .body("[0].name", equalTo("Free"));
        assertThat(provider.as().get("/api/v1/apis").then().statusCode(200).extract().jsonPath().getList("id"))
                .contains(first.getString("id"), second.getString("id"));
    }

    @ParameterizedTest(name = "{0}={1} -> 422")
    @CsvSource(delimiter = '|', value = {
            "name|''",
            "slug|Has Caps",
            "slug|-leading",
            "base_url|ftp://example.com",
            "base_url|not a url",
            "base_url|/relative/path",
            "base_url|http://example.com/?q=1",
            "visibility|secret",
            "version|''"})
    void bad_api_fields_are_422_naming_the_field_and_publish_nothing(String field, String value) {
        Api.User provider = Api.register("provider");
        Map<String, Object> body = new HashMap<>(Map.of("name", "Valid name", "description", "d", "base_url",
                UPSTREAM));
        body.put(field, value);
        provider.as().body(body).post("/api/v1/apis").then().statusCode(422)
                .contentType("application/problem+json").body("status", equalTo(422))
                .body("detail", containsString(field)).body("errors.field", hasItem(field));
        provider.as().get("/api/v1/apis").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void numbers_out_of_range_and_missing_fields_are_422() {
        Api.User provider = Api.register("provider");
        provider.as().body(Map.of("name", "n", "description", "d", "base_url", UPSTREAM, "timeout_ms", 50))
                .post("/api/v1/apis").then().statusCode(422).body("errors.field", hasItem("timeout_ms"));
        provider.as().body("{}").post("/api/v1/apis").then().statusCode(422)
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("description"))
                .body("errors.field", hasItem("base_url"));
        provider.as().body(Map.of("name", "n", "description", "d", "base_url", UPSTREAM, "tags", List.of("ok",
                "bad/tag"))).post("/api/v1/apis").then().statusCode(422).body("errors.field", hasItem("tags"));
        provider.as().get("/api/v1/apis").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void a_taken_slug_is_409_on_create_and_on_update() {
        PublishedApi taken = Gateway.publish(UPSTREAM);
        Api.User other = Api.register("provider");
        other.as().body(Map.of("name", "Mine", "slug", taken.slug(), "description", "d", "base_url", UPSTREAM))
                .post("/api/v1/apis").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(taken.slug()));
        other.as().get("/api/v1/apis").then().body("size()", equalTo(0));

        PublishedApi mine = Gateway.publish(other, UPSTREAM, Map.of());
        other.as().body(Map.of("slug", taken.slug())).put("/api/v1/apis/" + mine.id()).then().statusCode(409);
        other.as().get("/api/v1/apis/" + mine.id()).then().body("slug", equalTo(mine.slug()));
    }

    @Test
    void consumers_cannot_publish() {
        Api.User consumer = Api.registerConsumer();
        consumer.as().body(Map.of("name", "n", "description", "d", "base_url", UPSTREAM)).post("/api/v1/apis")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("become_provider"));
        given().contentType("application/json").body(Map.of("name", "n")).post("/api/v1/apis").then()
                .statusCode(401);
    }

    @Test
    void others_see_public_apis_without_upstream_get_404_for_private_and_403_when_changing() {
        PublishedApi open = Gateway.publish(UPSTREAM);
        PublishedApi hidden = Gateway.publish(open.provider(), UPSTREAM, Map.of("visibility", "private"));
        Api.User stranger = Api.register("provider");
        String name = nameOf(open);

        stranger.as().get("/api/v1/apis/" + open.id()).then().statusCode(200).body("slug", equalTo(open.slug()))
                .body("base_url", nullValue()).body("timeout_ms", nullValue());
        stranger.as().get("/api/v1/apis/" + hidden.id()).then().statusCode(404)
                .contentType("application/problem+json");
        stranger.as().get("/api/v1/apis/" + hidden.id() + "/plans").then().statusCode(404);
        stranger.as().get("/api/v1/apis/00000000-0000-0000-0000-000000000000").then().statusCode(404);

        stranger.as().body(Map.of("name", "Hijacked")).put("/api/v1/apis/" + open.id()).then().statusCode(403)
                .contentType("application/problem+json");
        stranger.as().post("/api/v1/apis/" + open.id() + "/pause").then().statusCode(403);
        stranger.as().delete("/api/v1/apis/" + open.id()).then().statusCode(403);
        stranger.as().body(Map.of("name", "Paid", "type", "free")).post("/api/v1/apis/" + open.id() + "/plans")
                .then().statusCode(403);
        stranger.as().body(Map.of("name", "Hijacked")).put("/api/v1/apis/" + hidden.id()).then().statusCode(404);
        open.provider().as().get("/api/v1/apis/" + open.id()).then().body("name", equalTo(name))
                .body("status", equalTo("active"));

        List<String> listed = stranger.as().get("/api/v1/users/" + open.provider().id() + "/apis").then()
                .statusCode(200).extract().jsonPath().getList("id");
        assertThat(listed).contains(open.id()).doesNotContain(hidden.id());
    }

    @Test
    void admins_may_manage_any_api() {
        PublishedApi api = Gateway.publish(UPSTREAM);
        Api.User admin = Api.admin();
        admin.as().body(Map.of("description", "Changed by an admin")).put("/api/v1/apis/" + api.id()).then()
                .statusCode(200).body("description", equalTo("Changed by an admin"))
                .body("base_url", equalTo(UPSTREAM));
        admin.as().post("/api/v1/apis/" + api.id() + "/pause").then().statusCode(200)
                .body("status", equalTo("paused"));
        api.provider().as().post("/api/v1/apis/" + api.id() + "/resume").then().statusCode(200)
                .body("status", equalTo("active"));
    }

    @Test
    void update_changes_only_the_given_fields_and_delete_removes_the_api() {
        PublishedApi api = Gateway.publish(UPSTREAM);
        api.provider().as().body(Map.of("version", "2.0", "tags", List.of("x"))).put("/api/v1/apis/" + api.id())
                .then().statusCode(200).body("version", equalTo("2.0")).body("tags", equalTo(List.of("x")))
                .body("slug", equalTo(api.slug())).body("base_url", equalTo(UPSTREAM));
        api.provider().as().delete("/api/v1/apis/" + api.id()).then().statusCode(204);
        api.provider().as().get("/api/v1/apis/" + api.id()).then().statusCode(404);
        api.provider().as().delete("/api/v1/apis/" + api.id()).then().statusCode(404);
    }

    @Test
    void plans_are_created_read_replaced_and_deleted() {
        PublishedApi api = Gateway.publish(UPSTREAM);
        String plans = "/api/v1/apis/" + api.id() + "/plans";
        JsonPath plan = api.provider().as().body(Map.of("name", "Metered", "type", "pay_per_call",
                "price_per_call", "0.0025", "rate_limit", Map.of("requests", 10, "period", "minute"),
                "monthly_quota", 5000)).post(plans).then().statusCode(201).extract().jsonPath();
        assertThat(plan.getString("price_per_call")).isEqualTo("0.0025");
        assertThat(plan.getInt("rate_limit.requests")).isEqualTo(10);
        assertThat(plan.getString("rate_limit.period")).isEqualTo("minute");
        assertThat(plan.getLong("monthly_quota")).isEqualTo(5000);
        String id = plan.getString("id");

        Api.registerConsumer().as().get(plans + "/" + id).then().statusCode(200).body("name", equalTo("Metered"));
        api.provider().as().body(Map.of("name", "Monthly", "type", "subscription", "monthly_price", 29,
                "included_calls", 1000)).put(plans + "/" + id).then().statusCode(200)
                .body("type", equalTo("subscription")).body("monthly_price", equalTo(29))
                .body("included_calls", equalTo(1000)).body("rate_limit", nullValue())
                .body("monthly_quota", nullValue());
        api.provider().as().delete(plans + "/" + id).then().statusCode(204);
        api.provider().as().get(plans + "/" + id).then().statusCode(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "name|{\"type\":\"free\"}",
            "type|{\"name\":\"x\",\"type\":\"barter\"}",
            "price_per_call|{\"name\":\"x\",\"type\":\"pay_per_call\"}",
            "price_per_call|{\"name\":\"x\",\"type\":\"free\",\"price_per_call\":1}",
            "price_per_call|{\"name\":\"x\",\"type\":\"pay_per_call\",\"price_per_call\":-1}",
            "price_per_call|{\"name\":\"x\",\"type\":\"pay_per_call\",\"price_per_call\":0.0000001}",
            "monthly_price|{\"name\":\"x\",\"type\":\"subscription\"}",
            "included_calls|{\"name\":\"x\",\"type\":\"free\",\"included_calls\":-5}",
            "rate_limit.requests|{\"name\":\"x\",\"type\":\"free\",\"rate_limit\":{\"requests\":0,\"period\":\"hour\"}}",
            "rate_limit.period|{\"name\":\"x\",\"type\":\"free\",\"rate_limit\":{\"requests\":5,\"period\":\"week\"}}",
            "monthly_quota|{\"name\":\"x\",\"type\":\"free\",\"monthly_quota\":0}"})
    void bad_plans_are_422_naming_the_field_and_change_nothing(String field, String body) {
        PublishedApi api = Gateway.publish(UPSTREAM);
        String plans = "/api/v1/apis/" + api.id() + "/plans";
        api.provider().as().body(body).post(plans).then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        api.provider().as().body(body).put(plans + "/" + api.defaultPlanId()).then().statusCode(422);
        api.provider().as().get(plans).then().body("size()", equalTo(1)).body("[0].type", equalTo("free"))
                .body("[0].name", equalTo("Free"));
    }

    @Test
    void a_plan_with_subscribers_cannot_be_deleted_and_deleting_the_last_plan_brings_back_a_free_one() {
        PublishedApi api = Gateway.publish(UPSTREAM);
        String plans = "/api/v1/apis/" + api.id() + "/plans";
        Gateway.Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        api.provider().as().delete(plans + "/" + api.defaultPlanId()).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("1 active subscription"));
        api.provider().as().get(plans + "/" + api.defaultPlanId()).then().statusCode(200);

        caller.consumer().as().delete("/api/v1/subscriptions/" + caller.subscriptionId()).then().statusCode(204);
        api.provider().as().delete(plans + "/" + api.defaultPlanId()).then().statusCode(204);
        JsonPath left = api.provider().as().get(plans).then().statusCode(200).body("size()", equalTo(1)).extract()
                .jsonPath();
        assertThat(left.getString("[0].id")).isNotEqualTo(api.defaultPlanId());
        assertThat(left.getString("[0].type")).isEqualTo("free");
        api.provider().as().get(plans + "/" + api.defaultPlanId()).then().statusCode(404);
        caller.consumer().as().get("/api/v1/subscriptions?all=true").then().statusCode(200)
                .body("[0].plan_id", equalTo(api.defaultPlanId())).body("[0].plan_name", equalTo("Free"));
        api.provider().as().get(plans + "/00000000-0000-0000-0000-000000000000").then().statusCode(404);
    }

    @Test
    void subscriptions_are_listed_changed_and_cancelled() {
        PublishedApi api = Gateway.publish(UPSTREAM);
        String gold = Gateway.addPlan(api, Map.of("name", "Gold", "type", "free", "rate_limit",
                Map.of("requests", 1000, "period", "hour")));
        Api.User consumer = Api.registerConsumer();
        JsonPath created = consumer.as().body(Map.of("api_id", api.id(), "plan_id", api.defaultPlanId()))
                .post("/api/v1/subscriptions").then().statusCode(201).body("status", equalTo("active"))
                .body("api_slug", equalTo(api.slug())).body("gateway_url", equalTo("/gw/" + api.slug()))
                .extract().jsonPath();
        String id = created.getString("id");
        consumer.as().body(Map.of("plan_id", gold)).put("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("plan_id", equalTo(gold)).body("plan_name", equalTo("Gold"));
        consumer.as().get("/api/v1/subscriptions").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo(id));

        consumer.as().delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        consumer.as().get("/api/v1/subscriptions").then().body("size()", equalTo(0));
        consumer.as().get("/api/v1/subscriptions?all=true").then().body("[0].status", equalTo("cancelled"))
                .body("[0].cancelled_at", notNullValue());
        consumer.as().delete("/api/v1/subscriptions/" + id).then().statusCode(409);
        consumer.as().body(Map.of("api_id", api.id(), "plan_id", gold)).post("/api/v1/subscriptions").then()
                .statusCode(201);
    }

    @Test
    void bad_subscriptions_are_refused_and_create_nothing() {
        PublishedApi api = Gateway.publish(UPSTREAM);
        PublishedApi other = Gateway.publish(UPSTREAM);
        PublishedApi hidden = Gateway.publish(api.provider(), UPSTREAM, Map.of("visibility", "private"));
        Api.User consumer = Api.registerConsumer();

        Response wrongPlan = consumer.as().body(Map.of("api_id", api.id(), "plan_id", other.defaultPlanId()))
                .post("/api/v1/subscriptions");
        wrongPlan.then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("plan_id"));
        consumer.as().body(Map.of("api_id", api.id())).post("/api/v1/subscriptions").then().statusCode(422)
                .body("errors.field", hasItem("plan_id"));
        consumer.as().body(Map.of("api_id", "not-a-uuid", "plan_id", api.defaultPlanId()))
                .post("/api/v1/subscriptions").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("api_id"));
        consumer.as().body(Map.of("api_id", hidden.id(), "plan_id", hidden.defaultPlanId()))
                .post("/api/v1/subscriptions").then().statusCode(404);
        consumer.as().get("/api/v1/subscriptions").then().body("size()", equalTo(0));

        String id = consumer.as().body(Map.of("api_id", api.id(), "plan_id", api.defaultPlanId()))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath().getString("id");
        consumer.as().body(Map.of("api_id", api.id(), "plan_id", api.defaultPlanId()))
                .post("/api/v1/subscriptions").then().statusCode(409).body("detail", containsString(id));
        consumer.as().body(Map.of("plan_id", other.defaultPlanId())).put("/api/v1/subscriptions/" + id).then()
                .statusCode(422);
        Api.registerConsumer().as().delete("/api/v1/subscriptions/" + id).then().statusCode(404);
        consumer.as().get("/api/v1/subscriptions").then().body("size()", equalTo(1))
                .body("[0].plan_id", equalTo(api.defaultPlanId()));
    }

    private static String nameOf(PublishedApi api) {
        return api.provider().as().get("/api/v1/apis/" + api.id()).then().extract().jsonPath().getString("name");
    }
}
