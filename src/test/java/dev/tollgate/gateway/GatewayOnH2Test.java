package dev.tollgate.gateway;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class GatewayOnH2Test extends GatewayScenarios {
}
