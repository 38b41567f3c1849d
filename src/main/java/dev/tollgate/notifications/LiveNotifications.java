package dev.tollgate.notifications;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.notifications.internal.LivePush;

/**
 * Pushes each new in-app notification of a user to their open connections on this node (see {@code LivePush}): the
 * way other features' stream endpoints (the portal's) join the same push as {@code /api/v1/notify/stream}.
 */
@ApplicationScoped
public class LiveNotifications {

    private final LivePush push;

    LiveNotifications(LivePush push) {
        this.push = push;
    }

    /**
     * Adds an authenticated connection: it is sent {@code ready} (with the unread count), what the user got after
     * {@code since} (null: the last 30 s), then each new notification, and a {@code heartbeat} after checking
     * {@link LiveConnection#authorized()}. Blocking (reads the database).
     */
    public void connect(LiveConnection connection, UUID userId, Instant since) {
        push.add(connection, userId, since);
    }

    /** Forgets a closed connection. */
    public void disconnect(String connectionId) {
        push.remove(connectionId);
    }
}
