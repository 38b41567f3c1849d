package dev.tollgate.metering.internal.raw;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RawEventsOnH2Test extends RawEventsScenarios {
}
