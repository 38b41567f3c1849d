package dev.tollgate.gateway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control-plane changes reach the gateway within a second: at once on the node that made them (the API call returns
 * after the snapshot is replaced), and through the change versions on every other node. "Another node" is played
 * here by writing to the shared database directly, as a second Tollgate would.
 */
@QuarkusTest
class GatewayPropagationTest extends WithUpstream {

    @Inject
    AgroalDataSource database;

    @Test
    void revoking_or_rotating_a_key_here_is_in_force_when_the_call_returns() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);

        String rotated = caller.consumer().as().post("/api/v1/api-keys/" + caller.keyId() + "/rotate").then()
                .statusCode(200).extract().jsonPath().getString("key");
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(401);
        new Caller(caller.consumer(), caller.subscriptionId(), caller.keyId(), rotated).call()
                .get("/gw/" + api.slug() + "/echo").then().statusCode(200);

        caller.consumer().as().delete("/api/v1/api-keys/" + caller.keyId()).then().statusCode(204);
        new Caller(caller.consumer(), caller.subscriptionId(), caller.keyId(), rotated).call()
                .get("/gw/" + api.slug() + "/echo").then().statusCode(401);
    }

    @Test
    void a_key_revoked_by_another_node_stops_working_within_one_second() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);

        long changed = System.nanoTime();
        update("update api_keys set revoked_at = current_timestamp where id = ?", caller.keyId());
        update("update change_versions set version = version + 1 where topic = ?", "keys");
        assertThat(millisUntilStatus(caller, api, 401)).isLessThan(1_000);
        assertThat((System.nanoTime() - changed) / 1_000_000).isLessThan(1_500);
    }

    @Test
    void an_api_paused_by_another_node_answers_503_within_one_second() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);

        update("update apis set status = 'paused' where id = ?", api.id());
        update("update change_versions set version = version + 1 where topic = ?", "catalog");
        assertThat(millisUntilStatus(caller, api, 503)).isLessThan(1_000);
    }

    @Test
    void a_user_suspended_by_another_node_loses_gateway_access_within_one_second() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);

        update("update users set suspended = true where id = ?", caller.consumer().id());
        update("update change_versions set version = version + 1 where topic = ?", "accounts");
        assertThat(millisUntilStatus(caller, api, 401)).isLessThan(1_000);
    }

    /** Calls every 20 ms until the status comes back; returns how long that took (fails after 5 s). */
    private static long millisUntilStatus(Caller caller, PublishedApi api, int status) throws InterruptedException {
        long started = System.nanoTime();
        while (System.nanoTime() - started < 5_000_000_000L) {
            if (caller.call().get("/gw/" + api.slug() + "/echo").statusCode() == status) {
                return (System.nanoTime() - started) / 1_000_000;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the gateway did not answer " + status + " within 5 s");
    }

    private void update(String sql, String parameter) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (sql.contains("topic")) {
                statement.setString(1, parameter);
            } else {
                statement.setObject(1, UUID.fromString(parameter));
            }
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }
}
