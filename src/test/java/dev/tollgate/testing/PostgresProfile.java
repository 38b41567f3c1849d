package dev.tollgate.testing;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profile: the application on a real PostgreSQL (see {@link EmbeddedPostgresServer}). */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }
}
