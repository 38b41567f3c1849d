package dev.tollgate.billing;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Providers' earnings from charged calls, payout requests and their approval or rejection. */
@QuarkusTest
class PayoutsTest extends LedgerChecked {
    @Inject
    Ledger ledger;

    @Test
    void earnings_from_calls_show_by_api_and_month_and_a_payout_is_requested_and_paid() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, 1, 20);
        Api.User admin = Api.admin();
        for (int i = 0; i < 15; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
        }
        Api.User provider = api.provider();
        JsonPath overview = awaitAvailable(provider, 12.0);
        assertThat(overview.getDouble("pending")).isZero();
        assertThat(overview.getDouble("paid_out")).isZero();
        assertThat(overview.getString("by_api[0].api_slug")).isEqualTo(api.slug());
        assertThat(overview.getDouble("by_api[0].earned")).isEqualTo(12.0);
        assertThat(overview.getString("by_month[0].month")).isEqualTo(YearMonth.now(ZoneOffset.UTC).toString());
        assertThat(overview.getDouble("by_month[0].earned")).isEqualTo(12.0);

        provider.as().body(Map.of("amount", 5)).post("/api/v1/billing/payout-request").then().statusCode(422)
                .body("detail", containsString("at least 10"));
        provider.as().body(Map.of("amount", 13)).post("/api/v1/billing/payout-request").then().statusCode(422)
                .body("detail", containsString("available earnings (12 usd)"));
        String id = provider.as().body(Map.of("amount", 10)).post("/api/v1/billing/payout-request").then()
                .statusCode(201).body("status", equalTo("pending")).body("amount", equalTo(10)).extract()
                .jsonPath().getString("id");
        provider.as().body(Map.of("amount", 10)).post("/api/v1/billing/payout-request").then().statusCode(422);
        provider.as().get("/api/v1/billing/overview").then().body("available", equalTo(2)).body("pending",
                equalTo(10));

        admin.as().get("/api/v1/admin/payouts?status=pending").then().statusCode(200).body("id", hasItem(id));
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + id + "/approve").then().statusCode(422)
                .body("errors.field", hasItem("reference"));
        admin.as().body(Map.of("reference", "SEPA-2026-0042")).post("/api/v1/admin/payouts/" + id + "/approve")
                .then().statusCode(200).body("status", equalTo("paid")).body("reference", equalTo("SEPA-2026-0042"));
        admin.as().body(Map.of("reference", "again")).post("/api/v1/admin/payouts/" + id + "/approve").then()
                .statusCode(409);
        admin.as().body(Map.of()).post("/api/v1/admin/payouts/" + id + "/reject").then().statusCode(409);
        provider.as().get("/api/v1/billing/overview").then().body("available", equalTo(2)).body("pending",
                equalTo(0)).body("paid_out", equalTo(10));
        provider.as().get("/api/v1/billing/payouts").then().statusCode(200).body("[0].status", equalTo("paid"));
        provider.as().queryParam("type", "payout_paid").get("/api/v1/notify/history").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].message", equalTo("Reference: SEPA-2026-0042"))
                .body("[0].metadata.payout_id", equalTo(id));
    }

    @Test
    void a_rejected_payout_gives_the_amount_back() {
        Api.User provider = Api.register("provider");
        ledger.post("adjustment", null, "earnings for the test", null, List.of(
                new Ledger.Leg(AccountKind.PROVIDER_EARNINGS, UUID.fromString(provider.id()), 20_000_000),
                new Ledger.Leg(AccountKind.PLATFORM_GRANTS, null, -20_000_000)));
        String id = provider.as().body(Map.of("amount", 15)).post("/api/v1/billing/payout-request").then()
                .statusCode(201).extract().jsonPath().getString("id");
        provider.as().get("/api/v1/billing/overview").then().body("available", equalTo(5));
        Api.admin().as().body(Map.of("note", "bank details missing")).post("/api/v1/admin/payouts/" + id
                + "/reject").then().statusCode(200).body("status", equalTo("rejected"))
                .body("note", equalTo("bank details missing"));
        provider.as().get("/api/v1/billing/overview").then().body("available", equalTo(20)).body("pending",
                equalTo(0));
        provider.as().get("/api/v1/billing/transactions?type=payout").then().header("X-Total-Count", "4");
        provider.as().get("/api/v1/notify/history").then().body("notification_type", equalTo(List.of(
                "payout_rejected"))).body("[0].message", equalTo("bank details missing The amount is back in your "
                        + "earnings."));
    }

    @Test
    void payouts_are_for_providers_and_their_approval_for_admins() {
        Api.User consumer = Api.registerConsumer();
        consumer.as().get("/api/v1/billing/overview").then().statusCode(403);
        consumer.as().body(Map.of("amount", 10)).post("/api/v1/billing/payout-request").then().statusCode(403);
        Api.User provider = Api.register("provider");
        provider.as().get("/api/v1/admin/payouts").then().statusCode(403);
        provider.as().body(Map.of("reference", "x")).post("/api/v1/admin/payouts/" + UUID.randomUUID()
                + "/approve").then().statusCode(403);
        Api.admin().as().body(Map.of("reference", "x")).post("/api/v1/admin/payouts/" + UUID.randomUUID()
                + "/approve").then().statusCode(404);
        provider.as().body(Map.of()).post("/api/v1/billing/payout-request").then().statusCode(422)
                .body("errors.field", hasItem("amount"));
        provider.as().get("/api/v1/billing/payouts?status=lost").then().statusCode(422);
    }

    private static JsonPath awaitAvailable(Api.User provider, double amount) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonPath overview = null;
        while (System.nanoTime() < deadline) {
            overview = provider.as().get("/api/v1/billing/overview").then().statusCode(200).extract().jsonPath();
            if (overview.getDouble("available") >= amount) {
                return overview;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("earnings did not reach " + amount + ": " + overview.prettify());
    }
}
