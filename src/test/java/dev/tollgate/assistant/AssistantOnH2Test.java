package dev.tollgate.assistant;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(AssistantProfile.class)
class AssistantOnH2Test extends AssistantScenarios {
}
