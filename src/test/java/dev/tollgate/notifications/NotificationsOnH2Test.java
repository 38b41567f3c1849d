package dev.tollgate.notifications;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class NotificationsOnH2Test extends NotificationsScenarios {
}
