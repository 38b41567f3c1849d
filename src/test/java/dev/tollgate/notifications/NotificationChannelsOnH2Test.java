package dev.tollgate.notifications;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class NotificationChannelsOnH2Test extends NotificationChannelsScenarios {
}
