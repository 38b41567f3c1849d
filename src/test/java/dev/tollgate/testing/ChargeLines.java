package dev.tollgate.testing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** A user's {@code charge} ledger lines as the API shows them (charges are written aggregated, with a call count). */
public record ChargeLines(long calls, BigDecimal amount, int lines) {

    public static ChargeLines of(Api.User user) {
        JsonPath json = user.as().get("/api/v1/billing/transactions?type=charge&limit=1000").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> lines = json.getList("$");
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
}
