package dev.tollgate.billing;

import dev.tollgate.testing.StripeOnPostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same subscription scenarios on PostgreSQL (row locks, nulls, timestamps). */
@QuarkusTest
@TestProfile(StripeOnPostgresProfile.class)
class PlatformSubscriptionsOnPostgresTest extends PlatformSubscriptionsTest {
}
