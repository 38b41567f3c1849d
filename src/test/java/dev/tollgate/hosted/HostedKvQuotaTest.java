package dev.tollgate.hosted;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The key/value store's quota per API: keys and bytes, and one API's full store does not limit another's. */
@QuarkusTest
@TestProfile(HostedKvQuotaTest.SmallStore.class)
class HostedKvQuotaTest {

    public static class SmallStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.hosted.kv.max-keys-per-api", "3", "tollgate.hosted.kv.max-bytes-per-api", "2000");
        }
    }

    static final String STORE = Hosted.module(
            "\"PUT /k/{key}\": (req) => { try { kv.put(req.params.key, req.body); return { status: 204 }; }"
                    + " catch (e) { return { status: 507, json: { error: e.message } }; } }",
            "\"GET /k/{key}\": (req) => ({ json: { value: kv.get(req.params.key) } })",
            "\"DELETE /k/{key}\": (req) => ({ json: { deleted: kv.delete(req.params.key) } })");

    @Test
    void an_api_keeps_at_most_its_quota_of_keys_and_bytes() {
        Api.User provider = Api.register("provider");
        PublishedApi api = Hosted.deployNew(provider, STORE, Map.of());
        PublishedApi second = Hosted.deployNew(provider, STORE, Map.of());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        Caller secondCaller = Gateway.subscribe(second, second.defaultPlanId());
        String base = "/gw/" + api.slug() + "/k/";
        for (String key : new String[]{"a", "b", "c"}) {
            caller.call().body("value " + key).put(base + key).then().statusCode(204);
        }
        caller.call().body("value d").put(base + "d").then().statusCode(507)
                .body("error", containsString("limit of 3 keys"));
        // replacing a key is not a new key
        caller.call().body("new value").put(base + "a").then().statusCode(204);
        caller.call().get(base + "a").then().statusCode(200).body("value", equalTo("new value"));
        // bytes: a value that would take the store over 2,000 bytes
        caller.call().body("x".repeat(1990)).put(base + "b").then().statusCode(507)
                .body("error", containsString("full"));
        caller.call().get(base + "b").then().body("value", equalTo("value b"));
        caller.call().delete(base + "c").then().statusCode(200).body("deleted", equalTo(true));
        caller.call().body("value d").put(base + "d").then().statusCode(204);
        // another API's store is its own
        secondCaller.call().body("v").put("/gw/" + second.slug() + "/k/a").then().statusCode(204);
        secondCaller.call().get("/gw/" + second.slug() + "/k/b").then().body("value", equalTo(null));
    }
}
