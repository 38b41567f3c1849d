package dev.tollgate.hosted;

import dev.tollgate.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class HostedApisOnPostgresTest extends HostedApisScenarios {
}
