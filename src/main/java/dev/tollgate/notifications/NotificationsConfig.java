package dev.tollgate.notifications;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The live stream and webhooks ({@code tollgate.notifications.*}). */
@ConfigMapping(prefix = "tollgate.notifications")
public interface NotificationsConfig {

    /** How often an open WebSocket gets a heartbeat message. */
    @WithDefault("25s")
    Duration heartbeat();

    /** How long a WebSocket may stay open without authenticating. */
    @WithDefault("10s")
    Duration authTimeout();

    Webhooks webhooks();

    interface Webhooks {
        /** The wait before the first retry; each further retry waits twice as long (with ±25 % jitter). */
        @WithDefault("5s")
        Duration retryBase();

        /** The longest wait between two attempts. */
        @WithDefault("1h")
        Duration retryMax();

        /** How long an endpoint may keep failing before it is disabled (and its owner told). */
        @WithDefault("24h")
        Duration disableAfter();

        /** How long a receiver has to answer one delivery. */
        @WithDefault("10s")
        Duration timeout();

        /** How often each node looks for deliveries due (new events wake the node that wrote them at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** The most endpoints one user may have. */
        @WithDefault("20")
        int maxPerUser();
    }
}
