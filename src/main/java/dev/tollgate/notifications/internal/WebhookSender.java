package dev.tollgate.notifications.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.notifications.NotificationsConfig;
import dev.tollgate.notifications.Webhooks;
import dev.tollgate.notifications.store.AttemptEntity;
import dev.tollgate.notifications.store.DeliveryEntity;
import dev.tollgate.notifications.store.WebhookEntity;
import dev.tollgate.notifications.store.WebhookStore;
import dev.tollgate.platform.PublicHttp;
import dev.tollgate.platform.SecretBox;
import dev.tollgate.platform.WorkQueue;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;

/**
 * Sends webhook deliveries. One thread looks for due deliveries (every {@code poll-interval}, and at once when a node
 * wrote new ones): the oldest pending delivery of each active endpoint, so an endpoint's events arrive in order. It
 * claims each (moving its next attempt past the attempt's deadline, so no other node sends it meanwhile), posts it
 * signed, and records the attempt. A failure is retried with exponential backoff and jitter; an endpoint failing for
 * {@code disable-after} is disabled, its failing delivery given up, and its owner told.
 */
@ApplicationScoped
public class WebhookSender implements WorkQueue {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int EXCERPT = 500;
    private static final int BATCH = 50;

    private final WebhookStore store;
    private final SecretBox secrets;
    private final PublicHttp http;
    private final Notifications notifications;
    private final Clock clock;
    private final NotificationsConfig.Webhooks config;
    private final boolean allowPrivate;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    /** Whether a look for due deliveries is already queued (wake-ups between two looks fold into one). */
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Attempts sent and not recorded yet. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopped;

    WebhookSender(WebhookStore store, SecretBox secrets, PublicHttp http, Notifications notifications, Clock clock,
            NotificationsConfig config, GatewayConfig gateway, Webhooks webhooks) {
        this.store = store;
        this.secrets = secrets;
        this.http = http;
        this.notifications = notifications;
        this.clock = clock;
        this.config = config.webhooks();
        this.allowPrivate = gateway.allowPrivateUpstreams();
        webhooks.onEnqueued(this::wake);
    }

    void start(@Observes StartupEvent started) {
        long every = config.pollInterval().toMillis();
        worker.scheduleWithFixedDelay(this::wake, every, every, TimeUnit.MILLISECONDS);
    }

    /** Looks for due deliveries soon, on the sender's thread. */
    public void wake() {
        if (!stopped && queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                sendDue();
            });
        }
    }

    private void sendDue() {
        if (stopped) {
            return;
        }
        try {
            Instant now = clock.instant();
            List<DeliveryEntity> due = QuarkusTransaction.requiringNew().call(() -> store.due(now, BATCH));
            for (DeliveryEntity delivery : due) {
                if (stopped) {
                    return;
                }
                // from now, not from the start of the batch: sending the ones before may have taken a while
                Instant lease = clock.instant().plus(config.timeout()).plusSeconds(30);
                boolean mine = QuarkusTransaction.requiringNew()
                        .call(() -> store.claim(delivery.id, delivery.nextAttemptAt, lease));
                if (mine) {
                    send(delivery);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Looking for webhook deliveries failed; trying again in %s", config.pollInterval());
        }
    }

    private void send(DeliveryEntity delivery) {
        WebhookEntity webhook = QuarkusTransaction.requiringNew().call(() -> store.webhook(delivery.endpointId))
                .orElse(null);
        if (webhook == null) {
            return;
        }
        String secret;
        try {
            secret = secrets.open(webhook.secret, webhook.id.toString());
        } catch (RuntimeException e) {
            inFlight.incrementAndGet();
            record(delivery, webhook, clock.instant(), 0, null, null, "the endpoint's signing secret cannot be "
                    + "opened with this node's encryption key (TOLLGATE_ENCRYPTION_KEY)");
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = Map.of("Content-Type", "application/json", "User-Agent",
                "Tollgate-Webhooks/1", "Tollgate-Event", delivery.eventType, "Tollgate-Event-Id",
                delivery.eventId.toString(), "Tollgate-Delivery", delivery.id.toString(), "Tollgate-Signature",
                "t=" + timestamp + ",v1=" + signature(secret, timestamp, delivery.payload));
        Instant attemptedAt = clock.instant();
        long started = System.nanoTime();
        inFlight.incrementAndGet();
        try {
            http.send(new PublicHttp.Request(HttpMethod.POST, webhook.url, headers, delivery.payload,
                    config.timeout(), EXCERPT, true), allowPrivate).whenComplete((answer, failure) -> {
                        long millis = (System.nanoTime() - started) / 1_000_000;
                        try {
                            worker.execute(() -> record(delivery, webhook, attemptedAt, millis,
                                    answer == null ? null : answer.status(),
                                    answer == null ? null : answer.body().toString(StandardCharsets.UTF_8),
                                    failure == null ? null : reason(failure)));
                        } catch (java.util.concurrent.RejectedExecutionException stopping) {
                            inFlight.decrementAndGet();
                            LOG.infof("Shutting down: webhook delivery %s is sent again when its lease ends",
                                    delivery.id);
                        }
                    });
        } catch (PublicHttp.Refused e) {
            record(delivery, webhook, attemptedAt, 0, null, null, "the URL " + e.getMessage());
        }
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Records one attempt: delivered on a 2xx answer; otherwise retried later, or the endpoint disabled. */
    private void record(DeliveryEntity sent, WebhookEntity webhook, Instant attemptedAt, long millis, Integer status,
            String body, String error) {
        try {
            recordAttempt(sent, webhook, attemptedAt, millis, status, body, error);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void recordAttempt(DeliveryEntity sent, WebhookEntity webhook, Instant attemptedAt, long millis,
            Integer status, String body, String error) {
        boolean delivered = status != null && status / 100 == 2;
        String problem = error != null ? error : delivered ? null : "answered HTTP " + status;
        boolean[] disabled = {false};
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                DeliveryEntity delivery = store.delivery(sent.id).orElseThrow();
                WebhookEntity endpoint = store.webhook(webhook.id).orElse(null);
                Instant now = clock.instant();
                AttemptEntity attempt = new AttemptEntity();
                attempt.id = UUID.randomUUID();
                attempt.deliveryId = delivery.id;
                attempt.attempt = ++delivery.attempts;
                attempt.attemptedAt = attemptedAt;
                attempt.statusCode = status;
                attempt.latencyMs = millis;
                attempt.responseExcerpt = cut(body, EXCERPT);
                attempt.error = cut(error, 500);
                store.persist(attempt);
                delivery.lastStatus = status;
                delivery.lastError = cut(problem, 500);
                if (!"pending".equals(delivery.status)) {
                    return; // the endpoint was deleted meanwhile
                }
                if (delivered) {
                    delivery.status = "delivered";
                    delivery.finishedAt = now;
                    if (endpoint != null) {
                        endpoint.failingSince = null;
                    }
                    return;
                }
                if (endpoint == null) {
                    return;
                }
                if (endpoint.failingSince == null) {
                    endpoint.failingSince = attemptedAt;
                }
                if (Duration.between(endpoint.failingSince, now).compareTo(config.disableAfter()) >= 0) {
                    delivery.status = "failed";
                    delivery.finishedAt = now;
                    endpoint.status = "disabled";
                    endpoint.updatedAt = now;
                    endpoint.disabledReason = "Every delivery failed for " + describe(config.disableAfter())
                            + "; the last attempt: " + problem;
                    disabled[0] = true;
                    notifications.notify(new Notifications.Notice(endpoint.userId, "webhook_disabled",
                            "Webhook endpoint disabled", "Deliveries to " + endpoint.url + " failed for "
                                    + describe(config.disableAfter()) + " (last: " + problem
                                    + "), so the endpoint was disabled. Fix it and enable it again to resume its "
                                    + "pending deliveries.",
                            "/api/v1/webhooks/" + endpoint.id, Map.of("webhook_id", endpoint.id.toString()),
                            "webhook_disabled:" + endpoint.id + ":" + endpoint.failingSince));
                } else {
                    delivery.nextAttemptAt = now.plus(backoff(delivery.attempts));
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Recording attempt of webhook delivery %s failed; it is retried when its lease ends",
                    sent.id);
            return;
        }
        if (disabled[0]) {
            LOG.warnf("Webhook endpoint %s disabled after failing for %s", webhook.id, config.disableAfter());
        } else if (!delivered) {
            LOG.debugf("Webhook delivery %s to endpoint %s failed (%s); retried later", sent.id, webhook.id,
                    problem);
        }
        // the next delivery of this endpoint (or the retry, if due) goes out without waiting for the next poll
        wake();
    }

    /** The wait before the next attempt after {@code attempts} failed ones: doubling, capped, ±25 % jitter. */
    Duration backoff(int attempts) {
        long base = config.retryBase().toMillis();
        long doubled = attempts >= 40 ? Long.MAX_VALUE : base << Math.max(0, attempts - 1);
        long capped = Math.min(doubled < 0 ? Long.MAX_VALUE : doubled, config.retryMax().toMillis());
        double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
    }

    /** {@code HMAC-SHA256(secret, t + "." + body)} in lower-case hex: the {@code v1} of the signature header. */
    static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static String describe(Duration duration) {
        return duration.toHours() >= 1 ? duration.toHours() + " h" : duration.toSeconds() + " s";
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    @Override
    public String name() {
        return "webhook_attempts";
    }

    /** Attempts in flight (pending deliveries themselves are in the database and survive anything). */
    @Override
    public int depth() {
        return inFlight.get();
    }

    @Override
    public int capacity() {
        return -1;
    }

    /** Waits until the attempts in flight are answered and recorded (else their lease makes them retried). */
    @Override
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Stops before the database does: attempts in flight are recorded if they answer within 5 s. */
    void shutdown(@Observes ShutdownEvent stopping) {
        stop();
    }

    @PreDestroy
    void stop() {
        if (stopped && worker.isShutdown()) {
            return;
        }
        stopped = true;
        worker.shutdown();
        try {
            // attempts in flight are recorded if they answer now; otherwise their lease makes them retried
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
