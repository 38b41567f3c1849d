package dev.tollgate.platform;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The application's {@link Clock}: system time in UTC. Code that decides by time (expiry, windows, renewals) injects
 * it, so tests replace it with a clock they move instead of sleeping. A default bean: any other {@code Clock} bean
 * wins.
 */
@Singleton
class SystemClock {

    @Produces
    @DefaultBean
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
