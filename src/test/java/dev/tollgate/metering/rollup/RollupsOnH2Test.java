package dev.tollgate.metering.rollup;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RollupsOnH2Test extends RollupsScenarios {
}
