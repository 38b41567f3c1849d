package dev.tollgate.billing;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LedgerOnH2Test extends LedgerScenarios {
}
