package dev.tollgate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The application's {@link Clock} in tests: the system's UTC time plus an offset that a test moves forward instead
 * of sleeping. At offset zero it is the system clock, so tests that never move it see real time. A test that moves
 * it calls {@link #reset()} afterwards: the application (and this bean) is shared by the test classes of a profile.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves the clock forward by {@code amount}. */
    public void advance(Duration amount) {
        offset = offset.plus(amount);
    }

    /** Back to the system's time. */
    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offset.toMillis();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset);
    }
}
