package dev.tollgate.hosted.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.gateway.HostedUpstream;
import dev.tollgate.hosted.HostedConfig;
import dev.tollgate.hosted.store.HostedStore;
import dev.tollgate.hosted.store.SecretEntity;
import dev.tollgate.hosted.store.VersionEntity;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.PublicHttp;
import dev.tollgate.platform.SecretBox;
import dev.tollgate.platform.WorkQueue;
import io.quarkus.runtime.StartupEvent;

/**
 * Serves hosted APIs on this node: keeps the active version of each loaded in the {@link Sandbox} (with its secrets),
 * swapped as a whole when the {@code hosted} change topic moves, and runs calls on its own bounded pool of worker
 * threads, never on an event loop. A call keeps the version it started on, so an activation does not disturb calls in
 * flight; the replaced version's idle contexts are closed. A version whose code does not load here is logged and the
 * API keeps the version it had (or has none: 502); other APIs are untouched.
 * <p>
 * Fairness: one API has at most half the workers (at least one) at a time — beyond that its calls get 503 at once —
 * and a call that waited for a worker past its own deadline is answered 504 without running, so a slow or flooded API
 * cannot hold every other API's calls.
 */
@ApplicationScoped
public class HostedRuntime implements HostedUpstream, WorkQueue {

    private static final Logger LOG = Logger.getLogger(HostedRuntime.class);
    public static final String TOPIC = "hosted";

    /** A version in service: its loaded program and the secrets it sees as {@code env}. */
    record Deployed(UUID apiId, int number, String code, Sandbox.Program program, Map<String, String> env) {
    }

    private final HostedStore store;
    private final ChangeFeed changes;
    private final SecretBox secrets;
    private final HostedConfig config;
    private final Sandbox sandbox;
    private final Fetcher fetcher;
    private final DatabaseKv kv;
    private final ThreadPoolExecutor workers;
    private volatile Map<UUID, Deployed> deployed = Map.of();
    private final Map<UUID, java.util.concurrent.Semaphore> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final int perApi;

    HostedRuntime(HostedStore store, ChangeFeed changes, SecretBox secrets, HostedConfig config, PublicHttp http,
            GatewayConfig gateway, DatabaseKv kv) {
        this.store = store;
        this.changes = changes;
        this.secrets = secrets;
        this.config = config;
        this.kv = kv;
        // the sandbox's own deadline bounds test runs; gateway calls pass their API's timeout_ms
        this.sandbox = new Sandbox(new Sandbox.Limits(config.testTimeout(), config.memoryPerCall().asLongValue(),
                config.statementsPerCall(), config.contextsPerVersion(), config.fetch().timeout(),
                config.fetch().maxPerCall()));
        this.fetcher = new PublicFetcher(http, config.fetch().allowPrivate().orElse(gateway.allowPrivateUpstreams()),
                (int) Math.min(Integer.MAX_VALUE, config.fetch().maxResponse().asLongValue()));
        int threads = config.workers() > 0
                ? config.workers()
                : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        this.perApi = Math.max(1, threads / 2);
        AtomicInteger counter = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queue()), r -> {
                    Thread thread = new Thread(r, "tollgate-hosted-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    void start(@Observes StartupEvent ignored) {
        changes.subscribe(TOPIC, version -> load());
    }

    /** The sandbox, for running a version's tests before it is deployed. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /** The outbound fetch the code gets (the upstream rules, with the configured timeout and size limit). */
    public Fetcher fetcher() {
        return fetcher;
    }

    private void load() {
        Map<UUID, Map<String, String>> env = new HashMap<>();
        for (SecretEntity secret : store.allSecrets()) {
            try {
                env.computeIfAbsent(secret.apiId, k -> new LinkedHashMap<>()).put(secret.name,
                        secrets.open(secret.sealed, owner(secret.apiId, secret.name)));
            } catch (SecretBox.TamperedException e) {
                LOG.errorf("The secret %s of hosted API %s cannot be opened; the code will not see it", secret.name,
                        secret.apiId);
            }
        }
        Map<UUID, Deployed> previous = deployed;
        Map<UUID, Deployed> next = new HashMap<>();
        for (VersionEntity version : store.activeVersions()) {
            Map<String, String> apiEnv = Map.copyOf(env.getOrDefault(version.apiId, Map.of()));
            Deployed old = previous.get(version.apiId);
            if (old != null && old.number() == version.number && old.code().equals(version.code)) {
                next.put(version.apiId, old.env().equals(apiEnv)
                        ? old
                        : new Deployed(old.apiId(), old.number(), old.code(), old.program(), apiEnv));
                continue;
            }
            try {
                next.put(version.apiId, new Deployed(version.apiId, version.number, version.code,
                        sandbox.load(version.code), apiEnv));
                LOG.infof("Hosted API %s: version %d in service", version.apiId, version.number);
            } catch (Sandbox.Failure e) {
                if (old != null) {
                    next.put(version.apiId, new Deployed(old.apiId(), old.number(), old.code(), old.program(), apiEnv));
                }
                LOG.errorf("Hosted API %s: version %d does not load on this node and is not served%s: %s",
                        version.apiId, version.number, old == null ? "" : " (version " + old.number() + " still is)",
                        e.getMessage());
            }
        }
        deployed = Map.copyOf(next);
        inFlight.keySet().retainAll(next.keySet());
        for (Deployed old : previous.values()) {
            Deployed now = next.get(old.apiId());
            if (now == null || now.program() != old.program()) {
                old.program().discard();
            }
        }
    }

    /** How a secret is sealed: for its API and name, so a sealed value copied to another row does not open. */
    public static String owner(UUID apiId, String name) {
        return "hosted:" + apiId + ":" + name;
    }

    @Override
    public long maxRequestBodyBytes() {
        return config.maxRequestBody().asLongValue();
    }

    @Override
    public void call(Call call, Consumer<Answer> done) {
        Deployed version = deployed.get(call.apiId());
        if (version == null) {
            done.accept(refusal(502, "This hosted API has no version in service: deploy one"
                    + " (POST /api/v1/deploy)."));
            return;
        }
        java.util.concurrent.Semaphore slots = inFlight.computeIfAbsent(call.apiId(),
                id -> new java.util.concurrent.Semaphore(perApi));
        if (!slots.tryAcquire()) {
            done.accept(refusal(503, "This hosted API is running " + perApi + " calls on this node already; try"
                    + " again shortly."));
            return;
        }
        long queued = System.nanoTime();
        try {
            workers.execute(() -> {
                try {
                    long waited = (System.nanoTime() - queued) / 1_000_000;
                    done.accept(waited >= call.timeoutMillis()
                            ? refusal(504, "The call waited " + waited + " ms for a hosted worker, past its "
                                    + call.timeoutMillis() + " ms.")
                            : run(version, call, call.timeoutMillis() - waited));
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            done.accept(refusal(503, "Hosted APIs are busy on this node; try again shortly."));
        }
    }

    private Answer run(Deployed version, Call call, long timeoutMillis) {
        HostedRequest request = new HostedRequest(call.method(), call.path(), query(call.rawQuery()),
                headers(call.headers()), call.body());
        Bindings bindings = new Bindings(version.env(), kv.of(call.apiId()), fetcher);
        try {
            HostedResponse response = version.program().handle(request, bindings,
                    Duration.ofMillis(timeoutMillis));
            return new Answer(response.status(), response.headers(), response.body(), true);
        } catch (Sandbox.Failure e) {
            LOG.debugf("Hosted API %s version %d, request %s: %s (%s)", version.apiId(), version.number(),
                    call.requestId(), e.kind(), e.getMessage());
            return switch (e.kind()) {
                case "timeout" -> refusal(504, e.getMessage().startsWith("The handler did not finish")
                        ? "The hosted API did not answer within its " + call.timeoutMillis() + " ms (timeout_ms)."
                        : e.getMessage() + ".");
                default -> refusal(502, "The hosted API failed: " + e.getMessage());
            };
        } catch (RuntimeException e) {
            LOG.errorf(e, "Hosted API %s version %d, request %s failed in the runtime", version.apiId(),
                    version.number(), call.requestId());
            return refusal(502, "The hosted API failed in the runtime.");
        }
    }

    private static Answer refusal(int status, String detail) {
        return new Answer(status, Map.of(), detail.getBytes(StandardCharsets.UTF_8), false);
    }

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    static Map<String, String> headers(List<Map.Entry<String, String>> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers) {
            out.merge(header.getKey().toLowerCase(Locale.ROOT), Objects.toString(header.getValue(), ""),
                    (a, b) -> a + ", " + b);
        }
        return out;
    }

    /** Hosted calls waiting for a worker, for the system statistics. */
    @Override
    public String name() {
        return "hosted_calls";
    }

    @Override
    public int depth() {
        return workers.getQueue().size();
    }

    @Override
    public int capacity() {
        return config.queue();
    }

    /** Waits for the calls accepted so far to be answered (a restart rebuilds the runtime's snapshot after). */
    @Override
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (workers.getActiveCount() > 0 || !workers.getQueue().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
        sandbox.close();
    }
}
