package dev.tollgate.billing.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A credit slice holds whole calls at the price of the calls waiting for it, never credit no call can use. */
class CreditGateWholeCallsTest {

    @Test
    void takes_whole_calls_only() {
        // 7 available at a price of 5: one call's worth
        assertThat(CreditGate.wholeCalls(0, 7_000_000, 5_000_000)).isEqualTo(5_000_000);
        // 4.996 available at a price of 5: nothing
        assertThat(CreditGate.wholeCalls(0, 4_996_000, 5_000_000)).isZero();
        // 100 calls at 0.001 out of plenty
        assertThat(CreditGate.wholeCalls(0, 100_000, 1_000)).isEqualTo(100_000);
    }

    @Test
    void counts_what_the_node_already_holds() {
        // 3 held and 4 available at a price of 5: 2 more make one call
        assertThat(CreditGate.wholeCalls(3_000_000, 4_000_000, 5_000_000)).isEqualTo(2_000_000);
        // 0.096 held and 4.9 available at a price of 5: still not one call
        assertThat(CreditGate.wholeCalls(96_000, 4_900_000, 5_000_000)).isZero();
        // more held than whole calls use: nothing more
        assertThat(CreditGate.wholeCalls(6_000_000, 1_000_000, 5_000_000)).isZero();
    }
}
