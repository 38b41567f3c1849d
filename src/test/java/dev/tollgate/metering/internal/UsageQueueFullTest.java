package dev.tollgate.metering.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.MeteringConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** A full usage queue drops the event at once (the gateway never waits), counts it and keeps counting the calls. */
class UsageQueueFullTest {

    record Config(int queueCapacity) implements MeteringConfig {
        @Override
        public int batchSize() {
            return 10;
        }

        @Override
        public Duration flushInterval() {
            return Duration.ofMillis(200);
        }

        @Override
        public Optional<String> countryHeader() {
            return Optional.empty();
        }

        @Override
        public Optional<java.nio.file.Path> geoipDatabase() {
            return Optional.empty();
        }

        @Override
        public double rawSample() {
            return 1.0;
        }

        @Override
        public Duration rawRetention() {
            return Duration.ofDays(30);
        }

        @Override
        public Duration minuteRollupRetention() {
            return Duration.ofDays(35);
        }

        @Override
        public Duration hourRollupRetention() {
            return Duration.ofDays(400);
        }

        @Override
        public double errorRateAlert() {
            return 0.2;
        }

        @Override
        public int errorRateMinCalls() {
            return 20;
        }

        @Override
        public Duration errorRateWindow() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration errorRateCheckInterval() {
            return Duration.ofSeconds(30);
        }
    }

    private static UsageEvent event(int status) {
        return new UsageEvent(UUID.randomUUID().toString(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                null, "GET", "/gw/x/y", status, 5, 4, 0, 10, System.currentTimeMillis(), true);
    }

    @Test
    void events_beyond_the_queue_are_dropped_counted_and_the_calls_still_counted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // the writer thread is not started (it starts with the application), so nothing drains the queue
        UsageRecorder recorder = new UsageRecorder(new Config(2), null, null, registry, null, null, Clock.systemUTC());

        assertThat(recorder.offer(event(200))).isTrue();
        assertThat(recorder.offer(event(200))).isTrue();
        long started = System.nanoTime();
        assertThat(recorder.offer(event(500))).isFalse();
        assertThat(recorder.offer(event(200))).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(Duration.ofSeconds(1).toNanos()); // never waits

        assertThat(registry.get("tollgate_usage_events_dropped").counter().count()).isEqualTo(2);
        assertThat(registry.get("tollgate_usage_queue_depth").gauge().value()).isEqualTo(2);
        assertThat(registry.get("tollgate_gateway_calls").tag("status", "2xx").counter().count()).isEqualTo(3);
        assertThat(registry.get("tollgate_gateway_calls").tag("status", "5xx").counter().count()).isEqualTo(1);
    }
}
