package dev.tollgate.platform;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Each topic ({@code catalog}, {@code keys}, {@code accounts}) has a version row. A control-plane write calls
 * {@link #changed(String)} inside its transaction; after the commit this node reloads the topic before the request
 * returns, and every other node sees the new version within {@code tollgate.sync-interval} (default 250 ms) and
 * reloads too. Reloads run one at a time on a single thread, so a later reload always publishes later data.
 */
@ApplicationScoped
public class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

    /** A reload reads its topic's version in the same transaction as its data and returns the data's version. */
    public interface Loader {
        void load(LongSupplier versionInThisTransaction);
    }

    record Changed(String topic) {
    }

    private final Session session;
    private final Event<Changed> changes;
    private final long intervalMillis;
    private final Map<String, Loader> loaders = new ConcurrentHashMap<>();
    private final Map<String, Long> loadedVersions = new ConcurrentHashMap<>();
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

    /** Registers the loader of a topic and runs it once, now. */
    public void subscribe(String topic, Loader loader) {
        loaders.put(topic, loader);
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
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf(e, "Reloading %s after a change failed; it is retried within %d ms", topic, intervalMillis);
        }
    }

    private void reload(String topic) {
        Loader loader = loaders.get(topic);
        if (loader == null) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> loader.load(() -> {
            long version = version(topic);
            loadedVersions.put(topic, version);
            return version;
        }));
    }

    private long version(String topic) {
        return ((Number) session.createNativeQuery("select version from change_versions where topic = ?1",
                Object.class).setParameter(1, topic).getSingleResult()).longValue();
    }

    private void poll() {
        if (loaders.isEmpty()) {
            return;
        }
        try {
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> session
                    .createNativeQuery("select topic, version from change_versions", Object[].class).getResultList());
            for (Object[] row : rows) {
                String topic = (String) row[0];
                long version = ((Number) row[1]).longValue();
                Long loaded = loadedVersions.get(topic);
                if (loaders.containsKey(topic) && (loaded == null || loaded != version)) {
                    reload(topic);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Checking for snapshot changes failed (%s); retrying in %d ms", e.getMessage(), intervalMillis);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
