package dev.tollgate.billing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a node keeps charged but unwritten is bounded: with a settle interval of an hour and room for 5 unwritten
 * calls, calls still pass, because the node writes its charges as soon as the bound is reached instead of taking more
 * credit.
 */
@QuarkusTest
@TestProfile(ChargingBackpressureTest.Profile.class)
class ChargingBackpressureTest extends LedgerChecked {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tollgate.billing.settle-interval", "1h", "tollgate.billing.max-unsettled-calls", "5",
                    "tollgate.billing.lease-calls", "5");
        }
    }

    @Test
    void unwritten_charges_never_exceed_the_bound_and_calls_still_pass() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.payingCaller(api, "1", 100);
        for (int i = 1; i <= 40; i++) {
            caller.call().get("/gw/" + api.slug() + "/echo").then().statusCode(200);
            long written = ChargeLines.of(caller.consumer()).calls();
            // unwritten: at most 5 (the bound) + 1 (the call that crossed it) + 5 (credit taken before the bound)
            assertThat(i - written).as("charged but unwritten after %d calls", i).isLessThanOrEqualTo(11);
        }
    }
}
