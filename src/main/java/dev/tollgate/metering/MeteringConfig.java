package dev.tollgate.metering;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Usage recording ({@code tollgate.metering.*}). */
@ConfigMapping(prefix = "tollgate.metering")
public interface MeteringConfig {

    /** Usage events held in memory before they are written; beyond it events are dropped, counted and logged. */
    @WithDefault("100000")
    int queueCapacity();

    /** Most events written in one batch. */
    @WithDefault("2000")
    int batchSize();

    /** Longest time an event waits in memory before it is written. */
    @WithDefault("200ms")
    Duration flushInterval();

    /**
     * The request header a trusted proxy in front of Tollgate sets to the caller's two-letter country (e.g.
     * {@code CF-IPCountry}); unset: countries are recorded as {@code unknown}. Only set it when such a proxy strips the
     * header from what clients send.
     */
    Optional<String> countryHeader();

    /**
     * An offline IP-to-country database (CSV of {@code first,last,country} ranges: DB-IP's "IP to Country Lite" or
     * IP2Location's LITE DB1) for calls without the country header; unset: such calls are {@code unknown}. Loaded
     * into memory at start-up; a file that cannot be read stops the start.
     */
    Optional<java.nio.file.Path> geoipDatabase();

    /** How long per-minute rollups are kept (hourly and daily ones serve older windows). */
    @WithDefault("35d")
    Duration minuteRollupRetention();

    /** How long hourly rollups are kept (daily ones are kept for good). */
    @WithDefault("400d")
    Duration hourRollupRetention();

    /**
     * Share of successful calls (status below 400) whose raw event (request log) is kept, in (0, 1]; decided from the
     * request id's hash, so the same id is always decided alike. Calls with errors are always kept.
     */
    @WithDefault("1.0")
    double rawSample();

    /** How long raw events (request logs) are kept; whole UTC days older than this are dropped. */
    @WithDefault("30d")
    Duration rawRetention();

    /**
     * Share of an API's calls failing with a server error (status 500 and above: upstream errors and the gateway's
     * timeouts and unreachable upstreams) within one error-rate window above which its provider is told
     * ({@code error_rate_spike}; {@code TOLLGATE_ALERT_ERROR_RATE}); 0 turns the alert off.
     */
    @WithDefault("0.2")
    double errorRateAlert();

    /** Fewest calls in a window for its error rate to count ({@code TOLLGATE_ALERT_MIN_CALLS}). */
    @WithDefault("20")
    int errorRateMinCalls();

    /**
     * The windows the error rate is measured over: consecutive windows of this length (whole minutes, UTC) from the
     * epoch ({@code TOLLGATE_ALERT_ERROR_WINDOW}).
     */
    @WithDefault("5m")
    Duration errorRateWindow();

    /** How often the error rates of the current window are checked ({@code TOLLGATE_ALERT_CHECK_INTERVAL}). */
    @WithDefault("30s")
    Duration errorRateCheckInterval();
}
