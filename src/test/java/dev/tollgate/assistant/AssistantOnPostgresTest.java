package dev.tollgate.assistant;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(AssistantOnPostgresProfile.class)
class AssistantOnPostgresTest extends AssistantScenarios {
}
