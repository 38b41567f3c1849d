package dev.tollgate.aiproxy;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AiBillingOnH2Test extends AiBillingScenarios {
}
