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

    /**
     * A pay-per-call plan at {@code price} on the API and a consumer on the enterprise tier (no hourly cap) subscribed
     * to it, granted {@code credit} unless it is null.
     */
    public static Caller payingCaller(PublishedApi api, Object price, Object credit) {
        String plan = addPlan(api, Map.of("name", "Metered", "type", "pay_per_call", "price_per_call", price));
        Caller caller = subscribe(api, plan);
        Api.admin().as().body(Map.of("plan", "enterprise")).put("/api/v1/admin/users/" + caller.consumer().id())
                .then().statusCode(200);
        if (credit != null) {
            Api.grantCredits(caller.consumer(), credit);
        }
        return caller;
    }

    /** Makes {@code calls} gateway calls at once from {@code threads} threads; returns how many got each status. */
    public static Map<Integer, Long> callInParallel(java.net.URI root, String slug, String key, int calls,
            int threads) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Integer>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return http.send(java.net.http.HttpRequest.newBuilder(root.resolve("/gw/" + slug + "/echo"))
                            .header("X-API-Key", key).timeout(java.time.Duration.ofSeconds(30)).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                }));
            }
            start.countDown();
            Map<Integer, Long> counts = new java.util.TreeMap<>();
            for (java.util.concurrent.Future<Integer> future : futures) {
                counts.merge(future.get(), 1L, Long::sum);
            }
            return counts;
        } finally {
            pool.shutdown();
        }
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
