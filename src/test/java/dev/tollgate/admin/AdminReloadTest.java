package dev.tollgate.admin;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/** Admins rebuild the data plane's snapshots on demand; the gateway keeps serving through it. */
@QuarkusTest
class AdminReloadTest extends WithUpstream {

    @Test
    void admins_rebuild_every_snapshot_or_an_apis_and_the_gateway_keeps_serving() {
        PublishedApi api = Gateway.publish(upstream.baseUrl() + "/echo");
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        Api.User admin = Api.admin();

        JsonPath all = admin.as().post("/api/v1/admin/reload").then().statusCode(200).extract().jsonPath();
        assertThat(all.getMap("versions")).containsKeys("catalog", "keys", "accounts", "models", "marketplace");
        assertThat(all.getMap("versions").values()).allMatch(v -> v != null);
        caller.call().get("/gw/" + api.slug() + "/x").then().statusCode(200);

        JsonPath one = admin.as().post("/api/v1/admin/reload/" + api.id()).then().statusCode(200).extract()
                .jsonPath();
        assertThat(one.getMap("versions")).containsOnlyKeys("catalog");
        caller.call().get("/gw/" + api.slug() + "/x").then().statusCode(200);

        admin.as().post("/api/v1/admin/reload/" + UUID.randomUUID()).then().statusCode(404);
        api.provider().as().post("/api/v1/admin/reload").then().statusCode(403);
        api.provider().as().body(Map.of()).post("/api/v1/admin/reload/" + api.id()).then().statusCode(403);
    }
}
