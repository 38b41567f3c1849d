package dev.tollgate.metering.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.metering.MeteringConfig;
import dev.tollgate.metering.UsageDimension;
import dev.tollgate.metering.UsageFilter;
import dev.tollgate.metering.UsageGroup;
import dev.tollgate.metering.UsageTotals;
import dev.tollgate.metering.rollup.UsageRollups;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.notifications.Notifications.Notice;
import io.quarkus.runtime.StartupEvent;

/**
 * Tells a provider when their API's calls fail with server errors (status 500 and above: the upstream's 5xx, and the
 * gateway's 502/504 for an unreachable or slow upstream) at more than {@code tollgate.metering.error-rate-alert} of
 * its calls within an error-rate window (consecutive windows of {@code error-rate-window} from the epoch, UTC), given
 * at least {@code error-rate-min-calls} calls in it. Checked every {@code error-rate-check-interval} from the usage
 * rollups (this node's current minutes and every node's written ones), so a spike is told while its window is still
 * running. Once per API and window (cause {@code error_spike:<api>:<window start>}, so every node may check); a window
 * that follows a spiking one tells nothing, so a long outage is told once, when it starts. Paused APIs (their calls get
 * the gateway's 503 by the provider's choice) and AI models are left out.
 */
@Singleton
class ErrorSpikeAlerts {

    private static final Logger LOG = Logger.getLogger(ErrorSpikeAlerts.class);

    private final UsageRollups rollups;
    private final GatewayState state;
    private final Notifications notifications;
    private final Clock clock;
    private final double threshold;
    private final long minCalls;
    private final long windowMillis;
    private final long intervalMillis;
    private ScheduledExecutorService timer;

    ErrorSpikeAlerts(MeteringConfig config, UsageRollups rollups, GatewayState state, Notifications notifications,
            Clock clock) {
        this.rollups = rollups;
        this.state = state;
        this.notifications = notifications;
        this.clock = clock;
        this.threshold = config.errorRateAlert();
        this.minCalls = Math.max(1, config.errorRateMinCalls());
        this.windowMillis = config.errorRateWindow().toMillis();
        this.intervalMillis = Math.max(100, config.errorRateCheckInterval().toMillis());
        if (threshold < 0 || threshold >= 1) {
            throw new IllegalStateException("TOLLGATE_ALERT_ERROR_RATE (tollgate.metering.error-rate-alert) must be "
                    + "at least 0 (off) and below 1, not " + threshold);
        }
        if (windowMillis < 60_000 || windowMillis % 60_000 != 0) {
            throw new IllegalStateException("TOLLGATE_ALERT_ERROR_WINDOW (tollgate.metering.error-rate-window) must "
                    + "be whole minutes (usage is rolled up by the minute), not " + config.errorRateWindow());
        }
    }

    void start(@Observes StartupEvent ignored) {
        if (threshold == 0) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tollgate-error-spikes");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Checking the APIs' error rates failed; retried in %d ms", intervalMillis);
        }
    }

    /** Checks the current window; how many providers it told. */
    int check() {
        long now = clock.millis();
        long start = Math.floorDiv(now, windowMillis) * windowMillis;
        Map<UUID, UsageTotals> spiking = spikes(start, start + windowMillis);
        if (spiking.isEmpty()) {
            return 0;
        }
        Map<UUID, UsageTotals> before = spikes(start - windowMillis, start);
        Map<UUID, ApiRoute> routes = new HashMap<>();
        state.catalog().bySlug().values().forEach(r -> routes.put(r.id(), r));
        int told = 0;
        for (Map.Entry<UUID, UsageTotals> spike : spiking.entrySet()) {
            ApiRoute route = routes.get(spike.getKey());
            if (route == null || route.paused() || before.containsKey(spike.getKey())) {
                continue;
            }
            notifications.notify(notice(route, spike.getValue(), Instant.ofEpochMilli(start)));
            told++;
        }
        return told;
    }

    /** The gateway APIs whose calls in [from, to) spiked, with their totals. */
    private Map<UUID, UsageTotals> spikes(long from, long to) {
        List<UsageGroup> apis = rollups.calls(UsageFilter.ALL.withAi(false), Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to), null, Set.of(UsageDimension.API));
        Map<UUID, UsageTotals> spiking = new HashMap<>();
        for (UsageGroup api : apis) {
            UsageTotals t = api.totals();
            if (api.apiId() != null && t.calls() >= minCalls && t.serverErrors() > threshold * t.calls()) {
                spiking.put(api.apiId(), t);
            }
        }
        return spiking;
    }

    private Notice notice(ApiRoute route, UsageTotals totals, Instant windowStart) {
        long percent = Math.round(totals.serverErrors() * 100.0 / totals.calls());
        Map<String, Object> metadata = Map.of("api_id", route.id().toString(), "window_start",
                windowStart.toString(), "window_minutes", windowMillis / 60_000, "calls", totals.calls(),
                "server_errors", totals.serverErrors(), "error_rate",
                Math.round(totals.serverErrors() * 10_000.0 / totals.calls()) / 10_000.0);
        return new Notice(route.ownerId(), "error_rate_spike", "Error spike on " + route.slug() + ": " + percent
                + "% of calls failing",
                totals.serverErrors() + " of " + totals.calls() + " calls to '" + route.slug() + "' since "
                        + windowStart + " failed with a server error (5xx from the upstream, or the gateway's 502/504"
                        + " when it could not be reached in time), above the alert threshold of "
                        + Math.round(threshold * 100) + "%. See the API's logs and error analytics.",
                "/api/v1/apis/" + route.id() + "/logs", metadata,
                "error_spike:" + route.id() + ":" + windowStart);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
