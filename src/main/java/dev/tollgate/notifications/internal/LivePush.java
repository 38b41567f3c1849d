package dev.tollgate.notifications.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.notifications.LiveConnection;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.notifications.Notifications.NotificationView;
import dev.tollgate.notifications.NotificationsConfig;
import dev.tollgate.notifications.store.NotificationStore;
import dev.tollgate.platform.ChangeFeed;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * The open WebSocket connections of this node and what they have been sent. Every new in-app notification moves the
 * {@code notifications} change topic; each node then reads the notifications of the last
 * {@value #LOOK_BACK_SECONDS} s of the users connected to it and sends each connection those it has not had. So a
 * notification written on any node reaches every connection of its user within the change feed's interval.
 */
@ApplicationScoped
public class LivePush {

    private static final Logger LOG = Logger.getLogger(LivePush.class);
    static final int LOOK_BACK_SECONDS = 30;
    private static final int REMEMBERED = 1_000;
    /** Users asked about in one query (bind parameters stay well under any database's limit). */
    private static final int USERS_PER_QUERY = 500;
    /** Notifications read per query: 10 per user in the window, far above what people receive in 30 s. */
    private static final int ROWS_PER_QUERY = 5_000;

    private static final class Subscriber {
        final LiveConnection connection;
        final UUID userId;
        /** The ids of the notifications this connection was sent (the newest {@value #REMEMBERED}). */
        final Set<UUID> sent = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        }));

        Subscriber(LiveConnection connection, UUID userId) {
            this.connection = connection;
            this.userId = userId;
        }
    }

    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final NotificationStore store;
    private final Notifications notifications;
    private final ChangeFeed changes;
    private final Clock clock;
    private final NotificationsConfig config;
    private final ObjectMapper json;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-live-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    LivePush(NotificationStore store, Notifications notifications, ChangeFeed changes, Clock clock,
            NotificationsConfig config, ObjectMapper json) {
        this.store = store;
        this.notifications = notifications;
        this.changes = changes;
        this.clock = clock;
        this.config = config;
        this.json = json;
    }

    void start(@Observes StartupEvent started) {
        changes.subscribe(Notifications.TOPIC, version -> pushRecent());
        long every = config.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Adds an authenticated connection and sends it {@code ready} (with the unread count), then what the user got
     * after {@code since} (a reconnecting client's last {@code created_at}), oldest first, at most 200.
     */
    public void add(LiveConnection connection, UUID userId, Instant since) {
        Subscriber subscriber = new Subscriber(connection, userId);
        long unread = notifications.unreadCount(userId);
        connection.send(message(Map.of("type", "ready", "user_id", userId, "unread_count", unread)));
        // registered before the backlog is read, so nothing written meanwhile is missed; each connection's record
        // of what it was sent keeps the backlog and the change feed from sending one notification twice
        subscribers.put(connection.id(), subscriber);
        Instant after = since != null ? since : clock.instant().minusSeconds(LOOK_BACK_SECONDS);
        List<NotificationView> missed = QuarkusTransaction.requiringNew()
                .call(() -> store.createdAfter(List.of(userId), after, 200).stream().map(notifications::view)
                        .toList());
        missed.forEach(n -> send(subscriber, n));
        if (!connection.open()) {
            subscribers.remove(connection.id()); // closed while it was being set up
        }
    }

    public void remove(String connectionId) {
        subscribers.remove(connectionId);
    }

    /** The change-feed loader: sends each connection the recent notifications of its user it has not had. */
    private void pushRecent() {
        if (subscribers.isEmpty()) {
            return;
        }
        List<UUID> users = subscribers.values().stream().map(s -> s.userId).distinct().toList();
        Map<UUID, List<NotificationView>> recent = new java.util.HashMap<>();
        Instant after = clock.instant().minusSeconds(LOOK_BACK_SECONDS);
        for (int from = 0; from < users.size(); from += USERS_PER_QUERY) {
            List<UUID> chunk = users.subList(from, Math.min(users.size(), from + USERS_PER_QUERY));
            store.createdAfter(chunk, after, ROWS_PER_QUERY).forEach(n -> recent
                    .computeIfAbsent(n.userId, k -> new java.util.ArrayList<>()).add(notifications.view(n)));
        }
        for (Subscriber subscriber : subscribers.values()) {
            recent.getOrDefault(subscriber.userId, List.of()).forEach(n -> send(subscriber, n));
        }
    }

    private void send(Subscriber subscriber, NotificationView notification) {
        if (!subscriber.sent.add(notification.id())) {
            return;
        }
        subscriber.connection.send(message(Map.of("type", "notification", "notification", notification)));
    }

    /**
     * Sends each connection a heartbeat, after checking its token again: a connection lasts only as long as the login
     * and the token it was opened with (the client reconnects with a fresh token).
     */
    private void heartbeat() {
        String beat = message(Map.of("type", "heartbeat", "at", clock.instant()));
        for (Subscriber subscriber : subscribers.values()) {
            try {
                if (subscriber.connection.authorized()) {
                    subscriber.connection.send(beat);
                } else {
                    subscribers.remove(subscriber.connection.id());
                    subscriber.connection.refuse("The access token has expired or its login has ended; connect "
                            + "again with a new one.");
                }
            } catch (RuntimeException e) {
                LOG.warnf("Heartbeat to live connection %s failed: %s", subscriber.connection.id(), e.getMessage());
            }
        }
    }

    private String message(Map<String, Object> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A live message does not serialise", e);
        }
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        LOG.debugf("Live push stopped with %d open connection(s)", subscribers.size());
    }
}
