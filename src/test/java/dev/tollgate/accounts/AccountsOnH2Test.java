package dev.tollgate.accounts;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AccountsOnH2Test extends AccountsScenarios {
}
