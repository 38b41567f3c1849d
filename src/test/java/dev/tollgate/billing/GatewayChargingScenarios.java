package dev.tollgate.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.common.http.TestHTTPResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Pay-per-call plans charged on the gateway: reserved before, settled after, never below zero, never twice. */
abstract class GatewayChargingScenarios extends LedgerChecked {
    @TestHTTPResource("/")
    URI root;

    @Inject
    Ledger ledger;

    @Inject
    HeldCredit held;

    @Test
    void the_node_takes_its_next_slice_of_credit_before_the_one_it_holds_runs_out() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "1");
        UUID consumer = UUID.fromString(caller.consumer().id());
        // the first call takes a slice of 100 calls' worth (lease-calls); the call that leaves less than half of it
        // asks for the next slice, which comes while calls go on using the rest
        for (int i = 0; i < 51; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (held.unusedMicros(consumer) < 49_000 + 100_000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(held.unusedMicros(consumer)).isEqualTo(49_000 + 100_000);
    }

    @Test
    void of_200_parallel_calls_on_a_wallet_affording_50_exactly_50_reach_the_upstream_and_are_charged()
            throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "0.05");
        int before = upstream.hits();

        Map<Integer, Long> counts = Gateway.callInParallel(root, api.slug(), caller.key(), 200, 50);
        assertThat(counts).containsOnly(Map.entry(200, 50L), Map.entry(402, 150L));
        assertThat(upstream.hits() - before).isEqualTo(50);

        ChargeLines.await(api.provider(), 50);
        Credits credits = Credits.of(caller.consumer());
        assertThat(credits.balance()).isEqualByComparingTo("0");
        assertThat(credits.reserved()).isEqualByComparingTo("0");
        ChargeLines paid = ChargeLines.of(caller.consumer());
        assertThat(paid.calls()).isEqualTo(50);
        assertThat(paid.amount()).isEqualByComparingTo("-0.05");
        // 20% platform fee: the provider earns 0.0008 a call
        ChargeLines earned = ChargeLines.of(api.provider());
        assertThat(earned.calls()).isEqualTo(50);
        assertThat(earned.amount()).isEqualByComparingTo("0.04");
        api.provider().as().get("/api/v1/billing/transactions?type=charge").then()
                .body("[0].account", equalTo("provider_earnings")).body("[0].api_id", equalTo(api.id()));
    }

    @Test
    void without_credit_the_call_is_402_and_the_upstream_is_not_called() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", null);
        int before = upstream.hits();
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(402)
                .contentType("application/problem+json").body("detail", containsString("0.001"));
        assertThat(upstream.hits()).isEqualTo(before);
    }

    @Test
    void credit_granted_after_a_402_can_be_spent_at_once() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", null);
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(402);
        Api.grantCredits(caller.consumer(), "1");
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
    }

    @Test
    void a_call_refused_as_too_dear_does_not_stop_a_cheaper_one_the_wallet_covers() {
        PublishedApi dear = Gateway.publish(upstream.baseUrl());
        Caller dearCaller = Gateway.payingCaller(dear, "5", "3");
        PublishedApi cheap = Gateway.publish(upstream.baseUrl());
        String cheapPlan = Gateway.addPlan(cheap, Map.of("name", "Metered", "type", "pay_per_call",
                "price_per_call", "1"));
        Caller cheapCaller = Gateway.subscribe(dearCaller.consumer(), cheap, cheapPlan);
        dearCaller.call().get("/gw/" + dear.slug() + "/echo").then().statusCode(402);
        cheapCaller.call().get("/gw/" + cheap.slug() + "/echo").then().statusCode(200);
        cheapCaller.call().get("/gw/" + cheap.slug() + "/echo").then().statusCode(200);
        cheapCaller.call().get("/gw/" + cheap.slug() + "/echo").then().statusCode(200);
        cheapCaller.call().get("/gw/" + cheap.slug() + "/echo").then().statusCode(402);
    }

    @Test
    void upstream_errors_are_not_charged_and_good_calls_once_each() throws InterruptedException {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "1");
        caller.call().get("/gw/" + api.slug() + "/status/503").then().statusCode(503);
        caller.call().get("/gw/" + api.slug() + "/status/500").then().statusCode(500);
        caller.call().get("/gw/" + api.slug() + "/status/404").then().statusCode(404);
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        ChargeLines.awaitEarlierChargesWritten(caller.consumer(), upstream.baseUrl());
        assertThat(ChargeLines.of(caller.consumer(), api.id()).calls()).isEqualTo(2);
        Credits credits = Credits.of(caller.consumer());
        // 2 calls at 0.001, and the marker call at 0.000001
        assertThat(credits.balance()).isEqualByComparingTo("0.997999");
        // what the node still holds for the next calls is available: nothing is committed to a call now
        assertThat(credits.available()).isEqualByComparingTo("0.997999");
        assertThat(credits.reserved()).isEqualByComparingTo("0");
    }

    @Test
    void free_plans_are_not_charged() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        assertThat(Credits.of(caller.consumer()).balance()).isEqualByComparingTo("0");
    }

    @Test
    void credit_held_by_the_node_but_not_used_by_a_call_is_available() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "5");
        for (int i = 0; i < 4; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        }
        ChargeLines.await(api.provider(), 4);
        Credits credits = Credits.of(caller.consumer());
        assertThat(credits.balance()).isEqualByComparingTo("4.996");
        assertThat(credits.available()).isEqualByComparingTo("4.996");
        assertThat(credits.reserved()).isEqualByComparingTo("0");
    }

    @Test
    void a_hold_never_exceeds_what_whole_calls_at_the_price_can_use() throws Exception {
        PublishedApi cheap = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(cheap, "0.001", "5");
        for (int i = 0; i < 4; i++) {
            caller.call().get("/gw/" + cheap.slug() + "/echo").then().statusCode(200);
        }
        // 4.996 left cannot pay a call at 5: refused, and none of it is held for that call
        PublishedApi dear = Gateway.publish(upstream.baseUrl());
        String plan = Gateway.addPlan(dear, Map.of("name", "Dear", "type", "pay_per_call", "price_per_call", 5));
        Caller dearCaller = Gateway.subscribe(caller.consumer(), dear, plan);
        dearCaller.call().get("/gw/" + dear.slug() + "/echo").then().statusCode(402);
        ChargeLines.await(cheap.provider(), 4);
        Credits credits = Credits.of(caller.consumer());
        assertThat(credits.balance()).isEqualByComparingTo("4.996");
        assertThat(credits.available()).isEqualByComparingTo("4.996");
        assertThat(credits.reserved()).isEqualByComparingTo("0");
        assertThat(heldMicros(caller.consumer())).isLessThanOrEqualTo(100_000L);

        // 7 at a price of 5: the node holds 5 (one call), not 7, and nothing once it is used
        PublishedApi other = Gateway.publish(upstream.baseUrl());
        Caller seven = Gateway.payingCaller(other, 5, 7);
        seven.call().get("/gw/" + other.slug() + "/echo").then().statusCode(200);
        seven.call().get("/gw/" + other.slug() + "/echo").then().statusCode(402);
        ChargeLines.await(other.provider(), 1);
        assertThat(heldMicros(seven.consumer())).isZero();
        Credits left = Credits.of(seven.consumer());
        assertThat(left.balance()).isEqualByComparingTo("2");
        assertThat(left.available()).isEqualByComparingTo("2");
        assertThat(left.reserved()).isEqualByComparingTo("0");
    }

    /** Credit held out of the consumer's wallet by gateway nodes, in micros (as the database has it). */
    private long heldMicros(dev.tollgate.testing.Api.User consumer) throws java.sql.SQLException {
        UUID wallet = ledger.accountId(AccountKind.CONSUMER_WALLET, UUID.fromString(consumer.id()));
        try (var c = database.getConnection();
                var select = c.prepareStatement("select coalesce(sum(amount), 0) from credit_holds where"
                        + " account_id = ?")) {
            select.setObject(1, wallet);
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
    @Test
    void a_client_that_hangs_up_mid_body_is_charged_once_the_upstream_answered() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "1");
        String drip = "hang-up-" + api.slug();
        try {
            try (Socket socket = new Socket(root.getHost(), root.getPort())) {
                socket.setSoTimeout(10_000);
                send(socket, api, caller, "/drip?id=" + drip);
                // the status line, the headers and the first chunk of the body arrive; then the client leaves
                readUntil(socket, "first-chunk;");
            }
            ChargeLines.await(api.provider(), 1);
        } finally {
            upstream.releaseDrip(drip);
        }
        assertThat(awaitLoggedStatus(api, 499)).isTrue();
        ChargeLines paid = ChargeLines.of(caller.consumer());
        assertThat(paid.calls()).isEqualTo(1);
        assertThat(paid.amount()).isEqualByComparingTo("-0.001");
        assertThat(Credits.of(caller.consumer()).balance()).isEqualByComparingTo("0.999");
    }

    @Test
    void a_client_gone_before_the_upstream_answered_is_not_charged() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "0.001", "1");
        int before = upstream.hits();
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            send(socket, api, caller, "/slow?ms=1500");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (upstream.hits() == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(upstream.hits()).as("the call reached the upstream").isGreaterThan(before);
        }
        assertThat(awaitLoggedStatus(api, 499)).isTrue();
        caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        ChargeLines.awaitEarlierChargesWritten(caller.consumer(), upstream.baseUrl());
        assertThat(ChargeLines.of(caller.consumer(), api.id()).calls()).isEqualTo(1);
    }

    private static void send(Socket socket, PublishedApi api, Caller caller, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /gw/" + api.slug() + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + caller.key()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void readUntil(Socket socket, String marker) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (seen.indexOf(marker) < 0) {
            int read = in.read(buffer);
            assertThat(read).as("the response so far: " + seen).isPositive();
            seen.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
        }
        assertThat(seen.toString()).startsWith("HTTP/1.1 200");
    }

    /** Waits up to 10 s for the API's latest usage event to have {@code status}. */
    private static boolean awaitLoggedStatus(PublishedApi api, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Integer> statuses = api.provider().as().get("/api/v1/apis/" + api.id() + "/logs").then()
                    .statusCode(200).extract().jsonPath().getList("status", Integer.class);
            if (statuses.contains(status)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
