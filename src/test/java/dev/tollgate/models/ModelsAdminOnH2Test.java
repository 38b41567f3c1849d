package dev.tollgate.models;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ModelsAdminOnH2Test extends ModelsAdminScenarios {
}
