package dev.tollgate.metering;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AnalyticsOnH2Test extends AnalyticsScenarios {
}
