package dev.tollgate.gateway;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class UsageReportsOnH2Test extends UsageReportsScenarios {
}
