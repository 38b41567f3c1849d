package dev.tollgate.admin;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.tollgate.platform.NodeHealth;
import dev.tollgate.platform.RequestCounters;
import dev.tollgate.platform.WorkQueue;

/**
 * This node's vital statistics for {@code GET /api/v1/system/stats}: CPU, memory, heap, disk of the data directory,
 * threads, uptime, versions, responses and error rates of the last minute and hour, and the depth of every
 * {@link WorkQueue}; the portal's monitoring page shows the same. Read from the JVM's management beans and in-memory
 * counters, never the database.
 */
@Singleton
public class SystemStats {

    private final RequestCounters requests;
    private final Instance<WorkQueue> queues;
    private final NodeHealth health;
    private final Path dataDir;

    SystemStats(RequestCounters requests, Instance<WorkQueue> queues, NodeHealth health,
            @ConfigProperty(name = "tollgate.data-dir") Path dataDir) {
        this.requests = requests;
        this.queues = queues;
        this.health = health;
        this.dataDir = dataDir;
    }

    /** The statistics as JSON-ready maps; fractions (0–1) for loads and rates, bytes for sizes. */
    public Map<String, Object> read() {
        Map<String, Object> out = new LinkedHashMap<>();
        Instant now = Instant.now();
        out.put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
        out.put("version", health.version());
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        out.put("uptime_seconds", Duration.ofMillis(runtime.getUptime()).toSeconds());
        out.put("started_at", health.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        out.put("jvm", Map.of("version", Runtime.version().toString(), "vendor", System.getProperty("java.vendor", ""),
                "name", runtime.getVmName()));
        out.put("cpu", cpu());
        out.put("memory", memory());
        out.put("heap", heap());
        out.put("disk", disk());
        out.put("threads", threads());
        out.put("requests", Map.of("last_minute", window(requests.last(60)), "last_hour",
                window(requests.last(RequestCounters.SECONDS))));
        out.put("queues", queues());
        return out;
    }

    private static Map<String, Object> cpu() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("available_processors", os.getAvailableProcessors());
        double load = os.getSystemLoadAverage();
        cpu.put("system_load_average", load < 0 ? null : load);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            cpu.put("process_cpu_load", fraction(sun.getProcessCpuLoad()));
            cpu.put("system_cpu_load", fraction(sun.getCpuLoad()));
            cpu.put("process_cpu_time_ms", sun.getProcessCpuTime() < 0 ? null : sun.getProcessCpuTime() / 1_000_000);
        }
        return cpu;
    }

    /** A load the JVM reports, rounded to four places; null when it cannot tell (negative). */
    private static Double fraction(double value) {
        return value < 0 || Double.isNaN(value) ? null : Math.round(value * 10_000) / 10_000.0;
    }

    private static Map<String, Object> memory() {
        Map<String, Object> memory = new LinkedHashMap<>();
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun) {
            long total = sun.getTotalMemorySize();
            long free = sun.getFreeMemorySize();
            memory.put("total_bytes", total);
            memory.put("free_bytes", free);
            memory.put("used_fraction", total > 0 ? fraction((double) (total - free) / total) : null);
        }
        return memory;
    }

    private static Map<String, Object> heap() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage other = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("used_bytes", heap.getUsed());
        out.put("committed_bytes", heap.getCommitted());
        out.put("max_bytes", heap.getMax() < 0 ? null : heap.getMax());
        out.put("used_fraction", heap.getMax() > 0 ? fraction((double) heap.getUsed() / heap.getMax()) : null);
        out.put("non_heap_used_bytes", other.getUsed());
        return out;
    }

    /** The file system holding the data directory (its nearest existing ancestor while it does not exist yet). */
    private Map<String, Object> disk() {
        File dir = dataDir.toAbsolutePath().normalize().toFile();
        while (dir != null && !dir.exists()) {
            dir = dir.getParentFile();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data_dir", dataDir.toString());
        if (dir != null) {
            long total = dir.getTotalSpace();
            long usable = dir.getUsableSpace();
            out.put("total_bytes", total);
            out.put("usable_bytes", usable);
            out.put("used_fraction", total > 0 ? fraction((double) (total - usable) / total) : null);
        }
        return out;
    }

    private static Map<String, Object> threads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Map.of("live", threads.getThreadCount(), "daemon", threads.getDaemonThreadCount(), "peak",
                threads.getPeakThreadCount());
    }

    private static Map<String, Object> window(RequestCounters.Window window) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", window.requests());
        out.put("client_errors", window.clientErrors());
        out.put("server_errors", window.serverErrors());
        out.put("error_rate", fraction(window.errorRate()));
        out.put("per_second", Math.round(window.requests() * 100.0 / window.seconds()) / 100.0);
        return out;
    }

    private List<Map<String, Object>> queues() {
        return queues.stream().map(q -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", q.name());
            out.put("depth", q.depth());
            out.put("capacity", q.capacity() < 0 ? null : q.capacity());
            return out;
        }).sorted((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name"))).toList();
    }
}
