package dev.tollgate.testing;

import java.util.HashMap;
import java.util.Map;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Sets up what a gateway call needs (provider, API, plan, subscribed consumer, key) over the real control plane. */
public final class Gateway {

    private Gateway() {
    }

    /** A provider's API as created. */
    public record PublishedApi(Api.User provider, String id, String slug, String defaultPlanId) {
    }

    /** A consumer with an active subscription and a key. */
    public record Caller(Api.User consumer, String subscriptionId, String keyId, String key) {

        /** A gateway request with the key as a Bearer token. */
        public RequestSpecification call() {
            return given().header("Authorization", "Bearer " + key);
        }
    }

    public static PublishedApi publish(String baseUrl) {
        return publish(Api.register("provider"), baseUrl, Map.of());
    }

    public static PublishedApi publish(Api.User provider, String baseUrl, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", Api.uniqueName("Api"), "description",
                "An API for tests", "base_url", baseUrl, "visibility", "public"));
        body.putAll(extra);
        JsonPath api = provider.as().body(body).post("/api/v1/apis").then().statusCode(201).extract().jsonPath();
        String planId = provider.as().get("/api/v1/apis/" + api.getString("id") + "/plans").then().statusCode(200)
                .extract().jsonPath().getString("[0].id");
        return new PublishedApi(provider, api.getString("id"), api.getString("slug"), planId);
    }

    /** Adds a plan and returns its id. */
    public static String addPlan(PublishedApi api, Map<String, Object> plan) {
        return api.provider().as().body(plan).post("/api/v1/apis/" + api.id() + "/plans").then().statusCode(201)
                .extract().jsonPath().getString("id");
    }

    public static Caller subscribe(PublishedApi api, String planId) {
        Api.User consumer = Api.registerConsumer();
        return subscribe(consumer, api, planId);
    }

    public static Caller subscribe(Api.User consumer, PublishedApi api, String planId) {
        String subscription = consumer.as().body(Map.of("api_id", api.id(), "plan_id", planId))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath().getString("id");
        JsonPath key = consumer.as().body(Map.of("name", "test key")).post("/api/v1/api-keys").then()
                .statusCode(201).extract().jsonPath();
        return new Caller(consumer, subscription, key.getString("id"), key.getString("key"));
    }
}
