package dev.tollgate.metering.internal.raw;

import dev.tollgate.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class RawEventsOnPostgresTest extends RawEventsScenarios {
}
