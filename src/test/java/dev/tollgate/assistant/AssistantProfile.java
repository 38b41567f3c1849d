package dev.tollgate.assistant;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profile: the assistant's model is {@value #MODEL}, which {@link AssistantScenarios} creates on a fake vendor. */
public class AssistantProfile implements QuarkusTestProfile {

    static final String MODEL = "assistant-test-model";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tollgate.hosted.generator-model", MODEL);
    }
}
