package dev.tollgate.testing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** A user's {@code charge} ledger lines as the API shows them (charges are written aggregated, with a call count). */
public record ChargeLines(long calls, BigDecimal amount, int lines) {

    public static ChargeLines of(Api.User user) {
        return of(user, null);
    }

    /** The user's charge lines for one API ({@code null}: all). */
    public static ChargeLines of(Api.User user, String apiId) {
        JsonPath json = user.as().get("/api/v1/billing/transactions?type=charge&limit=1000").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> lines = json.getList("$");
        if (apiId != null) {
            lines = lines.stream().filter(line -> apiId.equals(line.get("api_id"))).toList();
        }
        long calls = 0;
        BigDecimal amount = BigDecimal.ZERO;
        for (Map<String, Object> line : lines) {
            calls += ((Number) line.get("calls")).longValue();
            amount = amount.add(new BigDecimal(line.get("amount").toString()));
        }
        return new ChargeLines(calls, amount.stripTrailingZeros(), lines.size());
    }

    /** Waits up to 10 s until the user's charge lines cover at least {@code calls} calls. */
    public static ChargeLines await(Api.User user, long calls) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        ChargeLines seen = of(user);
        while (seen.calls() < calls && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = of(user);
        }
        if (seen.calls() < calls) {
            throw new AssertionError(calls + " charged calls were not written within 10 s: " + seen);
        }
        return seen;
    }

    /**
     * Waits until every charge the gateway took for the consumer's calls so far is written, so that a test can
     * assert that a call was <em>not</em> charged: one more paid call on a marker API of its own, whose charge is
     * queued after all earlier ones and written no earlier than they are (charges are written in queue order).
     */
    public static void awaitEarlierChargesWritten(Api.User consumer, String upstreamBaseUrl)
            throws InterruptedException {
        Gateway.PublishedApi marker = Gateway.publish(upstreamBaseUrl);
        String plan = Gateway.addPlan(marker, Map.of("name", "Marker", "type", "pay_per_call", "price_per_call",
                "0.000001"));
        Gateway.subscribe(consumer, marker, plan).call().get("/gw/" + marker.slug() + "/echo").then()
                .statusCode(200);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (of(consumer, marker.id()).calls() < 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the marker call's charge was not written within 10 s");
            }
            Thread.sleep(50);
        }
    }
}
