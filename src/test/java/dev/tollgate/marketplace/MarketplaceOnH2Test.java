package dev.tollgate.marketplace;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MarketplaceOnH2Test extends MarketplaceScenarios {
}
