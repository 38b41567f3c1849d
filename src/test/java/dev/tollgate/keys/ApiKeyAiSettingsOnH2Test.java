package dev.tollgate.keys;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ApiKeyAiSettingsOnH2Test extends ApiKeyAiSettingsScenarios {
}
