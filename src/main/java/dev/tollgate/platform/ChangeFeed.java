package dev.tollgate.platform;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Tells every node that data behind an in-memory snapshot changed, so it reloads that snapshot.
 * <p>
 * Each topic ({@code catalog}, {@code keys}, {@code accounts}, …) has a version row and one or more loaders (the
 * gateway's snapshot and the marketplace's both follow {@code catalog}). A control-plane write calls
 * {@link #changed(String)} inside its transaction; after the commit this node reloads the topic before the request
 * returns, and every other node sees the new version within {@code tollgate.sync-interval} (default 250 ms) and
 * reloads too. Reloads run one at a time on a single thread, so a later reload always publishes later data.
 * <p>
 * A topic's version counts as loaded only after its loader has returned, i.e. after the snapshot is published: a
 * loader that throws leaves the topic behind, and the next poll retries it until it succeeds.
 */
@ApplicationScoped
public class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

    /**
     * Loads a topic's data and publishes the snapshot. The supplier gives the topic's version, read in the same
     * transaction before the data, so the published data is at least that new.
     */
    public interface Loader {
        void load(LongSupplier versionInThisTransaction);
    }

    record Changed(String topic) {
    }

    private final Session session;
    private final Event<Changed> changes;
    private final long intervalMillis;
    /** One loader of a topic and the version it last published; each loader is reloaded and fails on its own. */
    private static final class Subscription {
        final Loader loader;
        volatile Long loaded;

        Subscription(Loader loader) {
            this.loader = loader;
        }
    }

    private final Map<String, List<Subscription>> loaders = new ConcurrentHashMap<>();
    private final Map<String, Long> loadedVersions = new ConcurrentHashMap<>();
    /** Topics whose last reload failed: their failure is logged once, and their recovery. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-snapshots");
        thread.setDaemon(true);
        return thread;
    });

    ChangeFeed(Session session, Event<Changed> changes,
            @ConfigProperty(name = "tollgate.sync-interval", defaultValue = "250") long intervalMillis) {
        this.session = session;
        this.changes = changes;
        this.intervalMillis = intervalMillis;
        worker.scheduleWithFixedDelay(this::poll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Registers a loader of a topic and runs it once, now. */
    public void subscribe(String topic, Loader loader) {
        loaders.computeIfAbsent(topic, k -> new CopyOnWriteArrayList<>()).add(new Subscription(loader));
        await(topic);
    }

    /** Marks the topic changed as part of the caller's transaction; this node reloads it after the commit. */
    public void changed(String topic) {
        int rows = session
                .createNativeMutationQuery("update change_versions set version = version + 1 where topic = ?1")
                .setParameter(1, topic).executeUpdate();
        if (rows != 1) {
            throw new IllegalStateException("Unknown change topic " + topic);
        }
        changes.fire(new Changed(topic));
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Changed change) {
        await(change.topic());
    }

    private void await(String topic) {
        try {
            worker.submit(() -> reload(topic)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            failed(topic, e.getCause());
        } catch (TimeoutException e) {
            LOG.errorf("Reloading the %s snapshot takes longer than 10 s; it goes on in the background", topic);
        }
    }

    /**
     * Runs each of the topic's loaders that is behind the topic's version, each in its own transaction, and records
     * what each loaded once it has returned. A loader that throws leaves the others' snapshots published and is
     * retried on the next poll; the first failure is rethrown after the others ran.
     */
    private void reload(String topic) {
        List<Subscription> subscriptions = loaders.get(topic);
        if (subscriptions == null) {
            return;
        }
        long current = QuarkusTransaction.requiringNew().call(() -> version(topic));
        RuntimeException failure = null;
        for (Subscription subscription : subscriptions) {
            Long loaded = subscription.loaded;
            if (loaded != null && loaded >= current) {
                continue;
            }
            try {
                subscription.loaded = QuarkusTransaction.requiringNew().call(() -> {
                    long version = version(topic);
                    subscription.loader.load(() -> version);
                    return version;
                });
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        // a loader subscribed while this ran has loaded nothing yet: the topic counts as behind until it has
        long loaded = subscriptions.stream().mapToLong(sub -> sub.loaded == null ? -1 : sub.loaded).min()
                .orElse(current);
        loadedVersions.put(topic, loaded);
        if (failing.remove(topic)) {
            LOG.infof("Reloaded the %s snapshot (version %d) after earlier failures", topic, loaded);
        }
    }

    private void failed(String topic, Throwable cause) {
        if (failing.add(topic)) {
            LOG.errorf(cause, "Reloading the %s snapshot failed; the old snapshot stays in force and the reload is "
                    + "retried every %d ms until it succeeds", topic, intervalMillis);
        } else {
            LOG.debugf("Reloading the %s snapshot failed again: %s", topic, cause);
        }
    }

    /**
     * Rebuilds every snapshot of the given topics on this node now (every topic when empty), whether or not it changed;
     * returns each topic's published version. For admins who want the data plane rebuilt from the database.
     */
    public Map<String, Long> reloadNow(Set<String> topics) {
        Map<String, Long> versions = new java.util.TreeMap<>();
        for (String topic : topics.isEmpty() ? loaders.keySet() : topics) {
            List<Subscription> subscriptions = loaders.get(topic);
            if (subscriptions == null) {
                throw new IllegalArgumentException("Unknown change topic " + topic);
            }
            subscriptions.forEach(subscription -> subscription.loaded = null);
            await(topic);
            versions.put(topic, loadedVersions.get(topic));
        }
        return versions;
    }

    /** The version of each topic this node has published, for tests and diagnostics. */
    public Long loadedVersion(String topic) {
        return loadedVersions.get(topic);
    }

    private long version(String topic) {
        return ((Number) session.createNativeQuery("select version from change_versions where topic = ?1",
                Object.class).setParameter(1, topic).getSingleResult()).longValue();
    }

    private void poll() {
        if (loaders.isEmpty()) {
            return;
        }
        List<Object[]> rows;
        try {
            rows = QuarkusTransaction.requiringNew().call(() -> session
                    .createNativeQuery("select topic, version from change_versions", Object[].class).getResultList());
        } catch (RuntimeException e) {
            LOG.warnf("Checking for snapshot changes failed (%s); retrying in %d ms", e.getMessage(), intervalMillis);
            return;
        }
        for (Object[] row : rows) {
            String topic = (String) row[0];
            long version = ((Number) row[1]).longValue();
            Long loaded = loadedVersions.get(topic);
            if (loaders.containsKey(topic) && (loaded == null || loaded != version)) {
                try {
                    reload(topic);
                } catch (RuntimeException e) {
                    failed(topic, e);
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
