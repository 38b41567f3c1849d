package dev.tollgate.billing;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.tollgate.testing.TestUpstream;

/** Billing tests that call the gateway: a local upstream for the class, ledger invariants after each test. */
abstract class LedgerCheckedWithUpstream extends LedgerChecked {

    static TestUpstream upstream;

    @BeforeAll
    static void startUpstream() throws IOException {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stopUpstream() throws IOException {
        upstream.close();
    }
}
