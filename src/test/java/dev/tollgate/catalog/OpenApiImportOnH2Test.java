package dev.tollgate.catalog;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OpenApiImportOnH2Test extends OpenApiImportScenarios {
}
