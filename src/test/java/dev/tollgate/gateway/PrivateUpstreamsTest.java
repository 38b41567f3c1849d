package dev.tollgate.gateway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WebhookReceiver;
import dev.tollgate.testing.WithUpstream;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * With private upstreams not allowed (the production default), internal addresses are refused when an API is
 * registered or changed, and again when the gateway connects: an upstream that turns inwards later gets 502 and is
 * never called.
 */
@QuarkusTest
@TestProfile(PrivateUpstreamsTest.PublicUpstreamsOnly.class)
public class PrivateUpstreamsTest extends WithUpstream {

    public static class PublicUpstreamsOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.gateway.allow-private-upstreams", "false");
        }
    }

    @Inject
    AgroalDataSource database;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost/api", "http://10.1.2.3", "https://192.168.0.1",
            "http://172.16.5.5", "http://169.254.169.254/latest/meta-data", "http://[::1]:80", "http://[fd00::1]",
            "http://100.64.0.1", "http://0.0.0.0", "http://[::ffff:127.0.0.1]"})
    void internal_addresses_are_refused_at_registration_and_on_update(String baseUrl) {
        Api.User provider = Api.register("provider");
        provider.as().body(Map.of("name", "Inward", "description", "d", "base_url", baseUrl)).post("/api/v1/apis")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("base_url"))
                .body("detail", containsString("TOLLGATE_ALLOW_PRIVATE_UPSTREAMS"));
        provider.as().get("/api/v1/apis").then().body("size()", equalTo(0));

        PublishedApi api = Gateway.publish(provider, "http://93.184.216.34/v1", Map.of());
        provider.as().body(Map.of("base_url", baseUrl)).put("/api/v1/apis/" + api.id()).then().statusCode(422);
        provider.as().get("/api/v1/apis/" + api.id()).then().body("base_url", equalTo("http://93.184.216.34/v1"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://169.254.169.254/latest",
            "http://[::1]/hook", "http://10.0.0.7/hook"})
    void webhooks_to_internal_addresses_are_refused(String url) {
        Api.User user = Api.registerConsumer();
        user.as().body(Map.of("url", url)).post("/api/v1/webhooks").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("url"))
                .body("errors.message", hasItem(containsString("internal address")));
        user.as().get("/api/v1/webhooks").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void a_webhook_that_turns_internal_after_creation_is_not_called() throws Exception {
        Api.User user = Api.registerConsumer();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = user.as().body(Map.of("url", "http://93.184.216.34/hook")).post("/api/v1/webhooks").then()
                    .statusCode(201).extract().path("id");
            // as if its DNS name now resolved to this machine
            update("update webhook_endpoints set url = ? where id = ?", receiver.url("/hook"), id);
            user.as().body(Map.of("title", "t", "message", "m")).post("/api/v1/notify/send").then().statusCode(201);
            String error = null;
            for (int i = 0; i < 100 && error == null; i++) {
                Thread.sleep(50);
                error = user.as().get("/api/v1/webhooks/" + id + "/deliveries").then().extract()
                        .path("[0].attempt_log[0].error");
            }
            assertThat(error).contains("internal address");
            assertThat(receiver.next(java.time.Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void an_upstream_that_turns_internal_after_registration_gets_502_and_is_not_called() throws SQLException {
        PublishedApi api = Gateway.publish("http://93.184.216.34/v1");
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());

        // as if its DNS name now resolved to this machine: the stored upstream points at the local test server;
        // the provider's next change (any field) republishes the API with it
        update("update apis set base_url = ? where id = ?", upstream.baseUrl(), api.id());
        api.provider().as().body(Map.of("description", "republished")).put("/api/v1/apis/" + api.id()).then()
                .statusCode(200).body("base_url", equalTo(upstream.baseUrl()));
        int before = upstream.hits();
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(502)
                .contentType("application/problem+json").body("detail", containsString("internal address"));
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void hosted_code_cannot_fetch_internal_addresses() {
        Api.User provider = Api.register("provider");
        String code = "export default { routes: { \"GET /peek\": async (req) => { try {"
                + " const res = await fetch(req.query.url); return { json: { fetched: res.status } }; }"
                + " catch (e) { return { status: 502, json: { refused: String(e.message || e) } }; } } } };";
        String id = provider.as().body(Map.of("name", Api.uniqueName("Peek"), "visibility", "public", "code", code))
                .post("/api/v1/deploy").then().statusCode(200).extract().path("api.id");
        String slug = provider.as().get("/api/v1/apis/" + id).then().extract().path("slug");
        String plan = provider.as().get("/api/v1/apis/" + id + "/plans").then().extract().path("[0].id");
        Caller caller = Gateway.subscribe(new PublishedApi(provider, id, slug, plan), plan);
        int before = upstream.hits();
        String port = upstream.baseUrl().substring(upstream.baseUrl().lastIndexOf(':') + 1);
        for (String url : new String[]{upstream.baseUrl() + "/echo", "http://localhost:" + port + "/echo",
                "http://169.254.169.254/latest/meta-data", "http://[::1]:" + port + "/echo"}) {
            caller.call().queryParam("url", url).get("/gw/" + slug + "/peek").then().statusCode(502)
                    .body("refused", containsString("internal address"));
        }
        assertThat(upstream.hits()).isEqualTo(before);
    }

    private void update(String sql, String baseUrl, String id) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, baseUrl);
            statement.setObject(2, UUID.fromString(id));
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }
}
