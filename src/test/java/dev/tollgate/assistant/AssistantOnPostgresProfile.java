package dev.tollgate.assistant;

import java.util.List;

import dev.tollgate.testing.PostgresResource;

/** {@link AssistantProfile} on a real PostgreSQL. */
public class AssistantOnPostgresProfile extends AssistantProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }
}
