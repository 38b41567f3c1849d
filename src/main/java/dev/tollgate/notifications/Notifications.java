package dev.tollgate.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.notifications.NotificationPreferences.Channels;
import dev.tollgate.notifications.internal.EmailSender;
import dev.tollgate.notifications.store.NotificationEntity;
import dev.tollgate.notifications.store.NotificationStore;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.Transactions;
import dev.tollgate.platform.WorkQueue;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * In-app notifications (seed 004's {@code /notify}). Features announce what happened with {@link #notify(Notice)}
 * inside the transaction that caused it; the notice is written after that transaction commits (at once outside a
 * transaction), at most once per user and cause, whoever sends it and however often.
 */
@ApplicationScoped
public class Notifications implements WorkQueue {

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    public static final Pattern TYPE = Pattern.compile("[a-z][a-z_]{0,39}");
    public static final int MAX_LIMIT = 200;

    /**
     * What to tell a user, and its cause: a stable name of what produced it ({@code "subscription:<id>"}), so that a
     * cause notifies each user once.
     */
    public record Notice(UUID userId, String type, String title, String message, String actionUrl,
            Map<String, Object> metadata, String cause) {
    }

    /** A notification as its user sees it (seed 004's shape). */
    public record NotificationView(UUID id, String title, String message, String notificationType, boolean read,
            String actionUrl, Map<String, Object> metadata, Instant createdAt, Instant readAt) {
    }

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** The change topic every new in-app notification moves, so each node pushes it to its open connections. */
    public static final String TOPIC = "notifications";

    private final NotificationStore store;
    private final UserDirectory users;
    private final NotificationPreferences preferences;
    private final Webhooks webhooks;
    private final EmailSender email;
    private final ChangeFeed changes;
    private final Event<Notice> notices;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** Writes notices after their transaction, off the committing thread's finished transaction context. */
    /** Notices handed to the writer and not written yet. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-notifications");
        thread.setDaemon(true);
        return thread;
    });

    Notifications(NotificationStore store, UserDirectory users, Event<Notice> notices, Clock clock,
            NotificationPreferences preferences, Webhooks webhooks, EmailSender email, ChangeFeed changes) {
        this.store = store;
        this.users = users;
        this.preferences = preferences;
        this.webhooks = webhooks;
        this.email = email;
        this.changes = changes;
        this.notices = notices;
        this.clock = clock;
    }

    /** Tells the user after the current transaction commits (dropped if it rolls back). */
    public void notify(Notice notice) {
        notices.fire(notice);
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Notice notice) {
        waiting.incrementAndGet();
        try {
            writer.submit(() -> {
                try {
                    return write(notice);
                } finally {
                    waiting.decrementAndGet();
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf(e, "Writing the %s notification of user %s (%s) failed", notice.type(), notice.userId(),
                    notice.cause());
        }
    }

    /** What writing a notice did: the notification, or null when its cause had notified the user already. */
    private record Written(NotificationView notification, Channels channels, boolean deliveries) {
    }

    /**
     * Writes the notice unless its cause already notified the user, with its webhook deliveries and the change that
     * makes every node push it live, in one transaction; then e-mails it. Whether it was written.
     */
    private boolean write(Notice notice) {
        return write(notice, true);
    }

    private boolean write(Notice notice, boolean mayEmail) {
        Written written;
        try {
            written = QuarkusTransaction.requiringNew().call(() -> {
                if (store.exists(notice.userId(), notice.cause())) {
                    return null;
                }
                Channels channels = preferences.channels(notice.userId(), notice.type());
                NotificationEntity entity = new NotificationEntity();
                entity.id = UUID.randomUUID();
                entity.userId = notice.userId();
                entity.type = notice.type();
                entity.title = cut(notice.title(), 200);
                entity.message = cut(notice.message(), 4000);
                entity.actionUrl = notice.actionUrl();
                entity.metadata = json.writeValueAsString(notice.metadata() == null ? Map.of() : notice.metadata());
                entity.cause = cut(notice.cause(), 200);
                entity.createdAt = clock.instant();
                entity.inApp = channels.inApp();
                store.persist(entity);
                if (entity.inApp) {
                    changes.changed(TOPIC);
                }
                NotificationView view = view(entity);
                boolean deliveries = channels.webhook() && webhooks.enqueue(notice.userId(), view);
                return new Written(view, channels, deliveries);
            });
        } catch (RuntimeException e) {
            if (Transactions.isUniqueViolation(e)) {
                return false; // the same cause, written by another node or thread just now
            }
            throw e;
        }
        if (written == null) {
            return false;
        }
        if (written.deliveries()) {
            webhooks.wakeSender();
        }
        if (mayEmail && written.channels().email()) {
            email.send(notice.userId(), written.notification());
        }
        return true;
    }

    /**
     * Sends a notice now (the {@code /send} endpoint): to one user, or to every user when {@code userId} is null.
     * What admins send is a {@code broadcast} unless they pick a type, and is e-mailed like any event; what users send
     * themselves is {@code info} by default and never e-mailed (else anyone could make the server mail any text to
     * the address they signed up with). Returns how many were written.
     */
    public int send(UUID userId, boolean byAdmin, String type, String title, String message, String actionUrl,
            Map<String, Object> metadata) {
        List<FieldError> errors = new ArrayList<>();
        if (title == null || title.isBlank() || title.length() > 200) {
            errors.add(new FieldError("title", "must be 1 to 200 characters"));
        }
        if (message == null || message.isBlank() || message.length() > 4000) {
            errors.add(new FieldError("message", "must be 1 to 4000 characters"));
        }
        if (type != null && !TYPE.matcher(type).matches()) {
            errors.add(new FieldError("notification_type", "must be 1 to 40 of a-z and '_', starting with a letter"));
        }
        if (actionUrl != null && actionUrl.length() > 2000) {
            errors.add(new FieldError("action_url", "must be at most 2000 characters"));
        }
        String metadataJson = "{}";
        try {
            metadataJson = json.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            errors.add(new FieldError("metadata", "must be a JSON object"));
        }
        if (metadataJson.length() > 10_000) {
            errors.add(new FieldError("metadata", "must take at most 10000 characters as JSON"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String cause = "send:" + UUID.randomUUID();
        List<UUID> to = userId == null ? users.userIds() : List.of(userId);
        if (userId != null && users.usernames(to).isEmpty()) {
            throw ProblemException.notFound("No user with id " + userId + ".");
        }
        int written = 0;
        for (UUID user : to) {
            written += write(new Notice(user, type != null ? type : byAdmin ? "broadcast" : "info", title.trim(),
                    message.trim(), actionUrl, metadata, cause), byAdmin) ? 1 : 0;
        }
        LOG.infof("Notification \"%s\" sent to %d user(s)", title.trim(), written);
        return written;
    }

    public List<NotificationView> history(UUID userId, boolean unreadOnly, String type, int skip, int limit) {
        if (skip < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalid(skip < 0 ? "skip" : "limit",
                    skip < 0 ? "must be at least 0" : "must be 1 to " + MAX_LIMIT);
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> store.history(userId, unreadOnly, type, skip, limit).stream().map(this::view).toList());
    }

    /** Marks one of the user's notifications read (404 for anyone else's). */
    public NotificationView read(UUID userId, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            NotificationEntity n = store.notification(id).filter(e -> e.userId.equals(userId))
                    .orElseThrow(() -> ProblemException.notFound("No notification of yours with id " + id + "."));
            if (n.readAt == null) {
                n.readAt = clock.instant();
            }
            return view(n);
        });
    }

    public int markAllRead(UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.markAllRead(userId, clock.instant()));
    }

    public long unreadCount(UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.unread(userId));
    }

    /** The view of a stored notification (for the live push). */
    public NotificationView view(NotificationEntity n) {
        Map<String, Object> metadata;
        try {
            metadata = json.readValue(n.metadata, OBJECT);
        } catch (JsonProcessingException e) {
            metadata = Map.of();
        }
        return new NotificationView(n.id, n.title, n.message, n.type, n.readAt != null, n.actionUrl, metadata,
                n.createdAt, n.readAt);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    @Override
    public String name() {
        return "notifications";
    }

    @Override
    public int depth() {
        return waiting.get();
    }

    @Override
    public int capacity() {
        return -1;
    }

    /** Waits until the notices handed to the writer before the call are written. */
    @Override
    public boolean drain(java.time.Duration timeout) throws InterruptedException {
        try {
            writer.submit(() -> {
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
    }
}
