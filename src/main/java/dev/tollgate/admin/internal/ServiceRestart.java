package dev.tollgate.admin.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.WorkQueue;

/**
 * The services restart of {@code POST /api/v1/system/restart}, on this node, without stopping it:
 * <ol>
 * <li><b>drain</b>: every {@link WorkQueue} (usage events with their rollups and keys' last use, charges) writes what
 * it had accepted to the database, each within {@value #DRAIN_SECONDS} s;</li>
 * <li><b>reload</b>: every data-plane snapshot (every {@link ChangeFeed} topic) is rebuilt from the database.</li>
 * </ol>
 * The HTTP server, the gateway and the workers keep running throughout: calls in flight finish and go on being
 * recorded and charged; rate-limit windows and credit held by this node are kept (resetting them would let callers
 * exceed their limits). A process restart (new JVM, new configuration) is the supervisor's job. One restart at a time
 * per node.
 */
@Singleton
public class ServiceRestart {

    private static final Logger LOG = Logger.getLogger(ServiceRestart.class);
    static final int DRAIN_SECONDS = 30;

    /** One queue's drain: its depth before, whether everything accepted before was written, how long it took. */
    public record DrainedQueue(String queue, int depthBefore, int depthAfter, boolean drained, long durationMs) {
    }

    /** What a restart did. {@code complete}: every queue drained. */
    public record RestartReport(Instant startedAt, long durationMs, boolean complete, List<DrainedQueue> drained,
            Map<String, Long> reloaded, long reloadMs) {
    }

    private final Instance<WorkQueue> queues;
    private final ChangeFeed changes;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    ServiceRestart(Instance<WorkQueue> queues, ChangeFeed changes, Clock clock) {
        this.queues = queues;
        this.changes = changes;
        this.clock = clock;
    }

    /** Drains, then reloads; 409 while another restart of this node runs. Blocking. */
    public RestartReport restart() {
        if (!running.tryLock()) {
            throw ProblemException.conflict("A restart of this node is already running.");
        }
        try {
            Instant startedAt = clock.instant();
            long started = System.nanoTime();
            LOG.info("Services restart: draining queues, then reloading snapshots");
            List<DrainedQueue> drained = new ArrayList<>();
            List<WorkQueue> ordered = queues.stream().sorted(Comparator.comparing(WorkQueue::name)).toList();
            for (WorkQueue queue : ordered) {
                drained.add(drain(queue));
            }
            long reloadStarted = System.nanoTime();
            Map<String, Long> versions = changes.reloadNow(Set.of());
            long reloadMs = millisSince(reloadStarted);
            boolean complete = drained.stream().allMatch(DrainedQueue::drained);
            RestartReport report = new RestartReport(startedAt, millisSince(started), complete, drained, versions,
                    reloadMs);
            if (complete) {
                LOG.infof("Services restart done in %d ms", report.durationMs());
            } else {
                LOG.errorf("Services restart done in %d ms, but not every queue could be written out: %s",
                        report.durationMs(), drained);
            }
            return report;
        } finally {
            running.unlock();
        }
    }

    private static DrainedQueue drain(WorkQueue queue) {
        long started = System.nanoTime();
        int before = queue.depth();
        boolean done;
        try {
            done = queue.drain(Duration.ofSeconds(DRAIN_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        return new DrainedQueue(queue.name(), before, queue.depth(), done, millisSince(started));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
