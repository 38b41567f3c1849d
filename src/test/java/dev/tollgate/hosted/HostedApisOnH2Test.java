package dev.tollgate.hosted;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HostedApisOnH2Test extends HostedApisScenarios {
}
