package dev.tollgate.billing;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class GatewayChargingOnH2Test extends GatewayChargingScenarios {
}
