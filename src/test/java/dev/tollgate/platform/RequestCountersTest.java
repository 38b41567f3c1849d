package dev.tollgate.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestCountersTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final RequestCounters counters = new RequestCounters(clock);

    @Test
    void counts_responses_and_errors_by_window() {
        counters.record(200);
        counters.record(404);
        clock.now = clock.now.plusSeconds(30);
        counters.record(500);
        counters.record(201);

        RequestCounters.Window minute = counters.last(60);
        assertThat(minute.requests()).isEqualTo(4);
        assertThat(minute.clientErrors()).isEqualTo(1);
        assertThat(minute.serverErrors()).isEqualTo(1);
        assertThat(minute.errorRate()).isEqualTo(0.25);
        assertThat(counters.last(10).requests()).isEqualTo(2);
    }

    @Test
    void forgets_seconds_that_left_the_window_and_reuses_their_slots() {
        counters.record(200);
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertThat(counters.last(60).requests()).isZero();
        assertThat(counters.last(3600).requests()).isEqualTo(1);

        clock.now = clock.now.plus(Duration.ofHours(1)).minus(Duration.ofMinutes(2)); // the first second's slot again
        counters.record(503);
        RequestCounters.Window hour = counters.last(3600);
        assertThat(hour.requests()).isEqualTo(1);
        assertThat(hour.serverErrors()).isEqualTo(1);
    }

    @Test
    void an_empty_window_has_no_error_rate_and_windows_are_bounded() {
        assertThat(counters.last(60).errorRate()).isZero();
        assertThatThrownBy(() -> counters.last(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> counters.last(3601)).isInstanceOf(IllegalArgumentException.class);
    }
}
