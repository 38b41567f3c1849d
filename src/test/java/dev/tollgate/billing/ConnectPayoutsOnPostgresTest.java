package dev.tollgate.billing;

import dev.tollgate.testing.StripeOnPostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same Connect payout scenarios on PostgreSQL. */
@QuarkusTest
@TestProfile(StripeOnPostgresProfile.class)
class ConnectPayoutsOnPostgresTest extends ConnectPayoutsTest {
}
