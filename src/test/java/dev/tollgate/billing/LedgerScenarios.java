package dev.tollgate.billing;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.testing.Api;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Wallets, grants and the ledger's guarantees, run on each database by the subclasses. */
abstract class LedgerScenarios extends LedgerChecked {
    @Inject
    Ledger ledger;

    @Inject
    dev.tollgate.billing.store.HoldStore holds;

    @Test
    void settled_calls_are_aggregated_and_a_retried_batch_charges_nothing_twice() throws SQLException {
        Api.User consumer = Api.registerConsumer();
        Api.User provider = Api.register("provider");
        UUID consumerId = UUID.fromString(consumer.id());
        ledger.post("grant", null, "credit for the test", null, List.of(
                new Ledger.Leg(AccountKind.CONSUMER_WALLET, consumerId, 10_000_000),
                new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -10_000_000)));
        UUID wallet = ledger.accountId(AccountKind.CONSUMER_WALLET, consumerId);
        UUID earnings = ledger.accountId(AccountKind.PROVIDER_EARNINGS, UUID.fromString(provider.id()));
        UUID platform = ledger.accountId(AccountKind.PLATFORM_REVENUE, null);
        String node = "test-node-" + UUID.randomUUID();
        assertThat(holds.lease(wallet, node, 5_000_000, java.time.Instant.now().plusSeconds(300))).isEqualTo(5_000_000);
        UUID apiA = UUID.randomUUID();
        UUID apiB = UUID.randomUUID();
        List<dev.tollgate.billing.store.HoldStore.ChargeRow> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(new dev.tollgate.billing.store.HoldStore.ChargeRow("call:" + UUID.randomUUID(), "call", i < 2
                    ? apiA
                    : apiB, wallet, earnings, platform, 1_000_000, 200_000));
        }
        assertThat(holds.settle(first, node, "usd", false)).isEqualTo(3);
        // the same batch again (its commit looked failed), and with one new call
        assertThat(holds.settle(first, node, "usd", true)).isZero();
        // a first attempt does not look keys up: the primary key refuses the duplicate and nothing is written
        assertThatThrownBy(() -> holds.settle(first.subList(0, 1), node, "usd", false))
                .isInstanceOf(SQLException.class);
        List<dev.tollgate.billing.store.HoldStore.ChargeRow> again = new ArrayList<>(first);
        again.add(new dev.tollgate.billing.store.HoldStore.ChargeRow("call:" + UUID.randomUUID(), "call", apiA,
                wallet, earnings, platform, 1_000_000, 200_000));
        assertThat(holds.settle(again, node, "usd", true)).isEqualTo(1);

        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(6)).body("reserved",
                equalTo(1));
        JsonPath lines = consumer.as().get("/api/v1/billing/transactions?type=charge").then()
                .header("X-Total-Count", "3").extract().jsonPath();
        assertThat(lines.getList("calls", Integer.class)).containsExactlyInAnyOrder(2, 1, 1);
        assertThat(Credits.exact(lines).getList("amount", java.math.BigDecimal.class))
                .usingElementComparator(java.math.BigDecimal::compareTo)
                .containsExactlyInAnyOrder(new java.math.BigDecimal("-2"), java.math.BigDecimal.ONE.negate(),
                        java.math.BigDecimal.ONE.negate());
        assertThat(Credits.decimal(provider.as().get("/api/v1/billing/overview").then().extract().jsonPath(),
                "available")).isEqualByComparingTo("3.2");
        holds.releaseNode(node);
    }

    @Test
    void admins_see_the_platforms_money_balanced() {
        Api.User admin = Api.admin();
        JsonPath before = admin.as().get("/api/v1/admin/billing/summary").then().statusCode(200)
                .body("balanced", equalTo(true)).body("sum", equalTo(0)).body("currency", equalTo("usd"))
                .extract().jsonPath();
        Api.User consumer = Api.registerConsumer();
        admin.as().body(Map.of("user_id", consumer.id(), "amount", "7.25", "reason", "summary test"))
                .post("/api/v1/admin/credits/grant").then().statusCode(201);
        JsonPath after = admin.as().get("/api/v1/admin/billing/summary").then().statusCode(200)
                .body("balanced", equalTo(true)).extract().jsonPath();
        assertThat(total(after, "consumer_wallet").subtract(total(before, "consumer_wallet")))
                .isEqualByComparingTo("7.25");
        assertThat(total(after, "platform_grants").subtract(total(before, "platform_grants")))
                .isEqualByComparingTo("-7.25");
        consumer.as().get("/api/v1/admin/billing/summary").then().statusCode(403);
    }

    private static java.math.BigDecimal total(JsonPath summary, String kind) {
        Object balance = Credits.exact(summary).get("kinds.find { it.kind == '" + kind + "' }.balance");
        return balance == null ? java.math.BigDecimal.ZERO : new java.math.BigDecimal(balance.toString());
    }

    @Test
    void a_new_user_has_no_credits() {
        Api.registerConsumer().as().get("/api/v1/users/me/credits").then().statusCode(200)
                .body("balance", equalTo(0)).body("reserved", equalTo(0)).body("available", equalTo(0))
                .body("currency", equalTo("usd"));
    }

    @Test
    void an_admin_grant_credits_the_wallet_and_shows_in_the_users_transactions() {
        Api.User consumer = Api.registerConsumer();
        JsonPath grant = Api.admin().as().body(Map.of("user_id", consumer.id(), "amount", "12.5", "reason",
                "welcome credit")).post("/api/v1/admin/credits/grant").then().statusCode(201)
                .header("Idempotent-Replayed", "false").body("type", equalTo("grant"))
                .body("description", equalTo("Grant: welcome credit")).extract().jsonPath();
        assertThat(grant.getList("entries.amount", Float.class)).containsExactlyInAnyOrder(12.5f, -12.5f);
        assertThat(grant.getList("entries.account")).containsExactlyInAnyOrder("consumer_wallet", "platform_grants");

        consumer.as().get("/api/v1/users/me/credits").then().statusCode(200).body("balance", equalTo(12.5f))
                .body("available", equalTo(12.5f));
        consumer.as().get("/api/v1/billing/transactions").then().statusCode(200).header("X-Total-Count", "1")
                .body("[0].type", equalTo("grant")).body("[0].amount", equalTo(12.5f))
                .body("[0].account", equalTo("consumer_wallet"))
                .body("[0].transaction_id", equalTo(grant.getString("id")));
        consumer.as().get("/api/v1/billing/transactions?type=charge").then().statusCode(200)
                .header("X-Total-Count", "0");
        consumer.as().get("/api/v1/billing/transactions?from=2000-01-01&to=2000-01-02").then().statusCode(200)
                .header("X-Total-Count", "0");
        Api.registerConsumer().as().get("/api/v1/billing/transactions").then().statusCode(200)
                .header("X-Total-Count", "0");
    }

    @Test
    void a_grant_repeated_with_the_same_idempotency_key_credits_once() {
        Api.User consumer = Api.registerConsumer();
        Api.User admin = Api.admin();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("user_id", consumer.id(), "amount", 3, "reason", "refund of outage");
        String first = admin.as().header("Idempotency-Key", key).body(body).post("/api/v1/admin/credits/grant")
                .then().statusCode(201).header("Idempotent-Replayed", "false").extract().jsonPath().getString("id");
        admin.as().header("Idempotency-Key", key).body(body).post("/api/v1/admin/credits/grant").then()
                .statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(first));
        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(3));
    }

    @Test
    void bad_grants_are_refused_and_change_nothing() {
        Api.User consumer = Api.registerConsumer();
        Api.User admin = Api.admin();
        String grant = "/api/v1/admin/credits/grant";
        admin.as().body(Map.of("user_id", consumer.id(), "amount", 0, "reason", "r")).post(grant).then()
                .statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("amount"));
        admin.as().body(Map.of("user_id", consumer.id(), "amount", -5, "reason", "r")).post(grant).then()
                .statusCode(422).body("errors.field", hasItem("amount"));
        admin.as().body(Map.of("user_id", consumer.id(), "amount", "0.0000001", "reason", "r")).post(grant)
                .then().statusCode(422).body("detail", containsString("6 decimals"));
        admin.as().body(Map.of("user_id", consumer.id(), "amount", 5)).post(grant).then().statusCode(422)
                .body("errors.field", hasItem("reason"));
        admin.as().body(Map.of("user_id", UUID.randomUUID().toString(), "amount", 5, "reason", "r")).post(grant)
                .then().statusCode(422).body("errors.field", hasItem("user_id"));
        admin.as().body(Map.of("user_id", "nope", "amount", 5, "reason", "r")).post(grant).then().statusCode(422)
                .body("errors.field", hasItem("user_id"));
        consumer.as().body(Map.of("user_id", consumer.id(), "amount", 5, "reason", "r")).post(grant).then()
                .statusCode(403);
        given().contentType("application/json").body(Map.of("user_id", consumer.id(), "amount", 5, "reason", "r"))
                .post(grant).then().statusCode(401);
        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
        consumer.as().get("/api/v1/billing/transactions?type=bogus").then().statusCode(422)
                .body("errors.field", hasItem("type"));
        consumer.as().get("/api/v1/billing/transactions?from=yesterday").then().statusCode(422)
                .body("errors.field", hasItem("from"));
    }

    @Test
    void concurrent_debits_never_take_a_wallet_below_zero() throws Exception {
        Api.User consumer = Api.registerConsumer();
        Api.User provider = Api.register("provider");
        UUID consumerId = UUID.fromString(consumer.id());
        UUID providerId = UUID.fromString(provider.id());
        Api.grantCredits(consumer, "0.05");
        long price = 1_000; // 0.001: the wallet affords exactly 50
        int attempts = 200;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String requestId = "req-" + UUID.randomUUID();
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        ledger.post("charge", "charge:" + requestId, "call " + requestId, null, List.of(
                                new Ledger.Leg(AccountKind.CONSUMER_WALLET, consumerId, -price),
                                new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, providerId, 800),
                                new Ledger.Leg(AccountKind.PLATFORM_REVENUE, null, 200)));
                        return true;
                    } catch (ProblemException e) {
                        assertThat(e.status()).isEqualTo(402);
                        return false;
                    }
                }));
            }
            start.countDown();
            int charged = 0;
            for (Future<Boolean> result : results) {
                charged += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(charged).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(0));
        provider.as().get("/api/v1/billing/transactions?type=charge").then().header("X-Total-Count", "50")
                .body("[0].account", equalTo("provider_earnings")).body("[0].amount", equalTo(0.0008f));
    }

    @Test
    void a_movement_posted_twice_under_one_key_happens_once() throws Exception {
        Api.User consumer = Api.registerConsumer();
        UUID consumerId = UUID.fromString(consumer.id());
        String key = "test:" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Ledger.Posted>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return ledger.post("grant", key, "same grant", null, List.of(
                            new Ledger.Leg(AccountKind.CONSUMER_WALLET, consumerId, 7_000_000),
                            new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -7_000_000)));
                }));
            }
            start.countDown();
            List<UUID> ids = new ArrayList<>();
            int fresh = 0;
            for (Future<Ledger.Posted> result : results) {
                Ledger.Posted posted = result.get(60, TimeUnit.SECONDS);
                ids.add(posted.transaction().id());
                fresh += posted.replayed() ? 0 : 1;
            }
            assertThat(fresh).isEqualTo(1);
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        consumer.as().get("/api/v1/users/me/credits").then().body("balance", equalTo(7));
    }

    @Test
    void unbalanced_movements_are_refused_before_anything_is_written() {
        UUID someone = UUID.fromString(Api.registerConsumer().id());
        assertThatThrownBy(() -> ledger.post("adjustment", null, "broken", null, List.of(
                new Ledger.Leg(AccountKind.CONSUMER_WALLET, someone, 5),
                new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -4)))).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> ledger.post("adjustment", null, "one leg", null, List.of(
                new Ledger.Leg(AccountKind.CONSUMER_WALLET, someone, 5)))).hasMessageContaining("two legs");
        assertThatThrownBy(() -> ledger.post("adjustment", null, "ownerless wallet", null, List.of(
                new Ledger.Leg(AccountKind.CONSUMER_WALLET, null, 5),
                new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -5)))).hasMessageContaining("needs owner");
        assertThat(ledger.balanceOf(AccountKind.CONSUMER_WALLET, someone)).containsExactly(0, 0);
    }
}
