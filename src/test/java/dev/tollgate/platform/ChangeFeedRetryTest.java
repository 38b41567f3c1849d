package dev.tollgate.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot whose reload failed is not believed current: the change feed retries it until it loads, so a revoked key
 * or a paused API cannot stay live because the database hiccuped once.
 */
@QuarkusTest
class ChangeFeedRetryTest {

    @Inject
    ChangeFeed feed;

    @Inject
    AgroalDataSource database;

    private String topic;
    private final AtomicInteger failuresToCome = new AtomicInteger();
    private final AtomicLong published = new AtomicLong(-1);
    /** When the loader last failed: it recovers right after, so that is when the snapshot could first load. */
    private final AtomicLong lastFailure = new AtomicLong();

    @BeforeEach
    void subscribeAFlakyLoader() throws SQLException {
        topic = "test-" + UUID.randomUUID().toString().substring(0, 8);
        execute("insert into change_versions (topic, version) values (?, 0)");
        feed.subscribe(topic, version -> {
            long loading = version.getAsLong();
            if (failuresToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                lastFailure.set(System.nanoTime());
                throw new IllegalStateException("the database hiccuped");
            }
            published.set(loading);
        });
        assertThat(published.get()).isZero();
    }

    @Test
    void a_change_from_another_node_whose_reload_fails_once_is_in_force_within_a_second() throws Exception {
        failuresToCome.set(1);
        execute("update change_versions set version = version + 1 where topic = ?");

        awaitPublished(1);
        assertThat(failuresToCome.get()).as("the failing reload was attempted").isZero();
        assertThat(feed.loadedVersion(topic)).isEqualTo(1);
    }

    @Test
    void a_local_change_whose_reload_fails_is_retried_until_it_loads() throws Exception {
        failuresToCome.set(3);
        QuarkusTransaction.requiringNew().run(() -> feed.changed(topic));
        assertThat(published.get()).as("the reload after the commit failed").isZero();
        assertThat(feed.loadedVersion(topic)).as("a failed reload is not recorded as loaded").isZero();

        awaitPublished(1);
        assertThat(feed.loadedVersion(topic)).isEqualTo(1);
    }

    @Test
    void another_loader_of_the_topic_publishes_while_one_keeps_failing_and_only_the_failing_one_is_retried()
            throws Exception {
        AtomicLong healthy = new AtomicLong(-1);
        AtomicInteger healthyLoads = new AtomicInteger();
        feed.subscribe(topic, version -> {
            healthyLoads.incrementAndGet();
            healthy.set(version.getAsLong());
        });
        assertThat(healthy.get()).isZero();
        int loadsBefore = healthyLoads.get();

        failuresToCome.set(3);
        QuarkusTransaction.requiringNew().run(() -> feed.changed(topic));
        assertThat(healthy.get()).as("the healthy loader published at once").isEqualTo(1);
        assertThat(published.get()).as("the failing one did not").isZero();
        assertThat(feed.loadedVersion(topic)).as("the topic is behind while one of its loaders is").isZero();

        awaitPublished(1);
        assertThat(feed.loadedVersion(topic)).isEqualTo(1);
        assertThat(healthyLoads.get() - loadsBefore).as("the healthy loader was not run again by the retries")
                .isEqualTo(1);
    }

    /** Waits for the version and checks it was in force within a second of the loader's recovery. */
    private void awaitPublished(long version) throws InterruptedException {
        long started = System.nanoTime();
        while (published.get() != version) {
            if (System.nanoTime() - started > 5_000_000_000L) {
                throw new AssertionError("version " + version + " of " + topic + " was not published within 5 s");
            }
            Thread.sleep(5);
        }
        long afterRecovery = (System.nanoTime() - lastFailure.get()) / 1_000_000;
        assertThat(afterRecovery).as("milliseconds from the loader's recovery to the change in force")
                .isLessThan(1_000);
        // the feed records the version once every loader of the topic returned, a moment after the snapshot is out
        while (!Long.valueOf(version).equals(feed.loadedVersion(topic))) {
            if (System.nanoTime() - started > 5_000_000_000L) {
                throw new AssertionError("version " + version + " of " + topic + " was not recorded within 5 s");
            }
            Thread.sleep(5);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, topic);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }
}
