package dev.tollgate.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.notifications.Notifications.NotificationView;
import dev.tollgate.notifications.store.AttemptEntity;
import dev.tollgate.notifications.store.DeliveryEntity;
import dev.tollgate.notifications.store.WebhookEntity;
import dev.tollgate.notifications.store.WebhookStore;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.PublicHttp;
import dev.tollgate.platform.SecretBox;
import dev.tollgate.platform.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Users' webhook endpoints (seed 003/004): each new notification of the user whose type an endpoint takes becomes a
 * delivery, written in the same transaction as the notification, so none is lost to a crash or restart. Deliveries
 * are sent (and retried) by {@code WebhookSender}, signed like Stripe's with the endpoint's {@code whsec_} secret.
 */
@ApplicationScoped
public class Webhooks {

    private static final Logger LOG = Logger.getLogger(Webhooks.class);

    public static final String ALL_EVENTS = "*";

    /** An endpoint as its owner sees it; the secret is shown only when it is created. */
    public record WebhookView(UUID id, String url, List<String> events, String description, String status,
            String disabledReason, Instant failingSince, long pendingDeliveries, Instant createdAt) {
    }

    /** A new endpoint and its signing secret, shown this once. */
    public record CreatedWebhook(UUID id, String url, List<String> events, String description, String status,
            String secret, Instant createdAt) {
    }

    public record AttemptView(int attempt, Instant attemptedAt, Integer statusCode, long latencyMs,
            String responseExcerpt, String error) {
    }

    public record DeliveryView(UUID id, UUID eventId, String eventType, String status, int attempts,
            Instant createdAt, Instant nextAttemptAt, Instant finishedAt, Integer lastStatus, String lastError,
            List<AttemptView> attemptLog) {
    }

    private final WebhookStore store;
    private final SecretBox secrets;
    private final PublicHttp http;
    private final Clock clock;
    private final boolean allowPrivate;
    private final int maxPerUser;
    private final ObjectMapper json;
    /** Set by the sender: wakes it when deliveries were written, after their transaction. */
    private volatile Runnable wake = () -> {
    };

    Webhooks(WebhookStore store, SecretBox secrets, PublicHttp http, Clock clock, GatewayConfig gateway,
            NotificationsConfig config, ObjectMapper json) {
        this.json = json;
        this.store = store;
        this.secrets = secrets;
        this.http = http;
        this.clock = clock;
        this.allowPrivate = gateway.allowPrivateUpstreams();
        this.maxPerUser = config.webhooks().maxPerUser();
    }

    public CreatedWebhook create(UUID userId, String url, List<String> events, String description) {
        List<FieldError> errors = new ArrayList<>();
        if (url == null || url.isBlank()) {
            errors.add(new FieldError("url", "is required"));
        } else {
            try {
                http.target(url.trim(), allowPrivate);
            } catch (PublicHttp.Refused e) {
                errors.add(new FieldError("url", e.getMessage() + (e.getMessage().startsWith("points at")
                        ? "; webhooks are sent to public addresses only"
                        : "")));
            }
        }
        List<String> types = events(events, errors);
        if (description != null && description.length() > 500) {
            errors.add(new FieldError("description", "must be at most 500 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String secret = Secrets.generate("whsec_");
        return QuarkusTransaction.requiringNew().call(() -> {
            if (store.countOf(userId) >= maxPerUser) {
                throw ProblemException.conflict("You have " + maxPerUser + " webhook endpoints, the most allowed; "
                        + "delete one first.");
            }
            WebhookEntity webhook = new WebhookEntity();
            webhook.id = UUID.randomUUID();
            webhook.userId = userId;
            webhook.url = url.trim();
            webhook.events = String.join(",", types);
            webhook.description = description;
            webhook.secret = secrets.seal(secret, webhook.id.toString());
            webhook.status = "active";
            webhook.createdAt = webhook.updatedAt = clock.instant();
            store.persist(webhook);
            LOG.infof("Webhook endpoint %s created for user %s (%s)", webhook.id, userId, webhook.events);
            return new CreatedWebhook(webhook.id, webhook.url, types, webhook.description, webhook.status, secret,
                    webhook.createdAt);
        });
    }

    private static List<String> events(List<String> events, List<FieldError> errors) {
        if (events == null || events.isEmpty()) {
            return List.of(ALL_EVENTS);
        }
        Set<String> types = new LinkedHashSet<>();
        for (String event : events) {
            if (ALL_EVENTS.equals(event)) {
                return List.of(ALL_EVENTS);
            }
            if (event == null || !Notifications.TYPE.matcher(event).matches()) {
                errors.add(new FieldError("events", "'" + event + "' is not an event type; use \"*\" or some of "
                        + String.join(", ", NotificationPreferences.EVENT_TYPES)));
            } else {
                types.add(event);
            }
        }
        if (types.size() > 50 || String.join(",", types).length() > 2000) {
            errors.add(new FieldError("events", "may name at most 50 event types, 2000 characters in all"));
        }
        return List.copyOf(types);
    }

    public List<WebhookView> list(UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.webhooksOf(userId).stream().map(this::view)
                .toList());
    }

    public WebhookView get(UUID userId, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> view(owned(userId, id)));
    }

    /** Deletes the endpoint; its pending deliveries are given up. */
    public void delete(UUID userId, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookEntity webhook = owned(userId, id);
            webhook.deletedAt = webhook.updatedAt = clock.instant();
            store.cancelPending(id, webhook.deletedAt, "the endpoint was deleted");
        });
    }

    /** Turns a disabled endpoint on again; its pending deliveries resume, oldest first. */
    public WebhookView enable(UUID userId, UUID id) {
        WebhookView view = QuarkusTransaction.requiringNew().call(() -> {
            WebhookEntity webhook = owned(userId, id);
            webhook.status = "active";
            webhook.disabledReason = null;
            webhook.failingSince = null;
            webhook.updatedAt = clock.instant();
            return view(webhook);
        });
        wake.run();
        return view;
    }

    public List<DeliveryView> deliveries(UUID userId, UUID id, String status, int skip, int limit) {
        if (status != null && !Set.of("pending", "delivered", "failed").contains(status)) {
            throw ProblemException.invalid("status", "must be pending, delivered or failed");
        }
        if (skip < 0 || limit < 1 || limit > 200) {
            throw ProblemException.invalid(skip < 0 ? "skip" : "limit", skip < 0
                    ? "must be at least 0"
                    : "must be 1 to 200");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            owned(userId, id);
            List<DeliveryEntity> deliveries = store.deliveries(id, status, skip, limit);
            Map<UUID, List<AttemptView>> attempts = new LinkedHashMap<>();
            for (AttemptEntity a : store.attempts(deliveries.stream().map(d -> d.id).toList())) {
                attempts.computeIfAbsent(a.deliveryId, k -> new ArrayList<>()).add(new AttemptView(a.attempt,
                        a.attemptedAt, a.statusCode, a.latencyMs, a.responseExcerpt, a.error));
            }
            return deliveries.stream().map(d -> view(d, attempts.getOrDefault(d.id, List.of()))).toList();
        });
    }

    /** Sends a delivery's event again, as a new delivery at the end of the endpoint's queue (same event id). */
    public DeliveryView redeliver(UUID userId, UUID id, UUID deliveryId) {
        DeliveryView view = QuarkusTransaction.requiringNew().call(() -> {
            store.lockedWebhook(id).filter(w -> w.userId.equals(userId))
                    .orElseThrow(() -> ProblemException.notFound("No webhook endpoint of yours with id " + id + "."));
            DeliveryEntity original = store.delivery(deliveryId).filter(d -> d.endpointId.equals(id))
                    .orElseThrow(() -> ProblemException.notFound("No delivery " + deliveryId + " of webhook " + id
                            + "."));
            DeliveryEntity again = delivery(id, original.eventId, original.eventType, original.payload);
            store.persist(again);
            return view(again, List.of());
        });
        wake.run();
        return view;
    }

    /**
     * Writes a delivery of the notification to each of the user's active endpoints that takes its type, in the
     * caller's transaction. Whether any was written.
     */
    boolean enqueue(UUID userId, NotificationView notification) {
        boolean any = false;
        String payload = null;
        for (WebhookEntity webhook : store.lockedWebhooksOf(userId)) {
            if (!"active".equals(webhook.status) || !takes(webhook, notification.notificationType())) {
                continue;
            }
            if (payload == null) {
                payload = payload(userId, notification);
            }
            store.persist(delivery(webhook.id, notification.id(), notification.notificationType(), payload));
            any = true;
        }
        return any;
    }

    /** Wakes the sender (after the transaction that enqueued deliveries has committed). */
    void wakeSender() {
        wake.run();
    }

    /** For the sender: how to wake it. */
    public void onEnqueued(Runnable wake) {
        this.wake = wake;
    }

    private static boolean takes(WebhookEntity webhook, String type) {
        return ALL_EVENTS.equals(webhook.events) || Arrays.asList(webhook.events.split(",")).contains(type);
    }

    private DeliveryEntity delivery(UUID endpointId, UUID eventId, String type, String payload) {
        DeliveryEntity delivery = new DeliveryEntity();
        delivery.id = UUID.randomUUID();
        delivery.endpointId = endpointId;
        delivery.eventId = eventId;
        delivery.eventType = type;
        delivery.payload = payload;
        delivery.status = "pending";
        delivery.createdAt = delivery.nextAttemptAt = clock.instant();
        return delivery;
    }

    /** The body sent: the event's id, type and time, the user, and the notification. */
    private String payload(UUID userId, NotificationView notification) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", notification.id());
        event.put("type", notification.notificationType());
        event.put("created_at", notification.createdAt());
        event.put("user_id", userId);
        event.put("data", notification);
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A notification does not serialise", e);
        }
    }

    private WebhookEntity owned(UUID userId, UUID id) {
        return store.webhook(id).filter(w -> w.userId.equals(userId))
                .orElseThrow(() -> ProblemException.notFound("No webhook endpoint of yours with id " + id + "."));
    }

    private WebhookView view(WebhookEntity w) {
        return new WebhookView(w.id, w.url, Arrays.stream(w.events.split(",")).collect(Collectors.toList()),
                w.description, w.status, w.disabledReason, w.failingSince, store.pending(w.id), w.createdAt);
    }

    private static DeliveryView view(DeliveryEntity d, List<AttemptView> attempts) {
        return new DeliveryView(d.id, d.eventId, d.eventType, d.status, d.attempts, d.createdAt,
                "pending".equals(d.status) ? d.nextAttemptAt : null, d.finishedAt, d.lastStatus, d.lastError,
                attempts);
    }
}
