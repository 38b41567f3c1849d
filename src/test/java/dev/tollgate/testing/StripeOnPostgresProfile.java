package dev.tollgate.testing;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profile: Stripe against {@link FakeStripe}, data on a real PostgreSQL. */
public class StripeOnPostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class), new TestResourceEntry(
                StripeProfile.Resource.class));
    }
}
