package dev.tollgate.metering.rollup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

import dev.tollgate.gateway.UsageEvent;

/**
 * The rollups of the minutes not yet written: events are folded in by the usage writer's thread; queries copy what
 * they need under the same monitor. Only the writer's thread changes the maps, so it reads them without copying.
 */
final class RollupFolder {

    /** Distinct endpoints per API and minute; beyond them calls are rolled up as {@link Endpoints#OTHER}. */
    static final int MAX_ENDPOINTS_PER_API = 500;
    static final String UNKNOWN_COUNTRY = "unknown";

    private final Map<Long, Map<CallKey, Counts>> calls = new HashMap<>();
    private final Map<Long, Map<LatencyKey, Latency>> latencies = new HashMap<>();
    private final Map<Long, Map<UUID, Set<String>>> endpoints = new HashMap<>();
    /** Imported endpoints' templates; replaced whole when the catalog changes. */
    private volatile PathTemplates templates = PathTemplates.NONE;

    void templates(PathTemplates templates) {
        this.templates = templates;
    }

    synchronized void fold(List<UsageEvent> events) {
        for (UsageEvent e : events) {
            fold(e);
        }
    }

    private void fold(UsageEvent e) {
        long minute = Granularity.MINUTE.floor(e.atMillis());
        String endpoint = endpoint(minute, e);
        int statusClass = Math.max(1, Math.min(5, e.status() / 100));
        String model = e.ai() == null ? null : e.ai().model();
        String country = country(e.country());
        int latency = Math.max(0, e.latencyMs());
        CallKey key = new CallKey(e.apiId(), endpoint, e.consumerId(), e.keyId(), e.planId(), statusClass, country,
                model);
        calls.computeIfAbsent(minute, m -> new HashMap<>()).computeIfAbsent(key, k -> new Counts()).record(e,
                latency);
        Map<LatencyKey, Latency> narrow = latencies.computeIfAbsent(minute, m -> new HashMap<>());
        record(narrow, new LatencyKey(LatencyKey.API, e.apiId(), null, 0, null, null, model), e, latency);
        // one row per endpoint, whatever the status: its counts say how many were client and server errors
        record(narrow, new LatencyKey(LatencyKey.ENDPOINT, e.apiId(), endpoint, 0, null, null, null), e, latency);
        // a consumer's own view lists their APIs and models from these rows: the model comes along (no extra rows:
        // an AI call's API id is the model's)
        record(narrow, new LatencyKey(LatencyKey.CONSUMER, e.apiId(), null, 0, e.consumerId(), null, model), e,
                latency);
        record(narrow, new LatencyKey(LatencyKey.CALLER, null, null, 0, e.consumerId(), null, null), e, latency);
        record(narrow, new LatencyKey(LatencyKey.GEOGRAPHY, e.apiId(), null, 0, null, country, null), e, latency);
        record(narrow, LatencyKey.WHOLE_PLATFORM, e, latency);
    }

    private static void record(Map<LatencyKey, Latency> narrow, LatencyKey key, UsageEvent e, int latency) {
        narrow.computeIfAbsent(key, k -> new Latency()).record(e, latency);
    }

    private String endpoint(long minute, UsageEvent e) {
        String endpoint = named(e);
        Set<String> seen = endpoints.computeIfAbsent(minute, m -> new HashMap<>()).computeIfAbsent(e.apiId(),
                a -> new HashSet<>());
        if (seen.contains(endpoint)) {
            return endpoint;
        }
        if (seen.size() >= MAX_ENDPOINTS_PER_API) {
            return Endpoints.OTHER;
        }
        seen.add(endpoint);
        return endpoint;
    }

    /** The imported operation's template the call reached, else its path with id-like segments as {id}. */
    private String named(UsageEvent e) {
        if (e.ai() == null) {
            String template = templates.match(e.apiId(), e.method(), Endpoints.withinApi(e.path()));
            if (template != null) {
                return template;
            }
        }
        return Endpoints.template(e.method(), e.path());
    }

    /** A two-letter (or longer, up to 16) code in upper case, or {@value #UNKNOWN_COUNTRY}. */
    static String country(String header) {
        if (header == null || header.isBlank() || header.length() > 16) {
            return UNKNOWN_COUNTRY;
        }
        String code = header.trim();
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '-') {
                return UNKNOWN_COUNTRY;
            }
        }
        return code.toUpperCase(Locale.ROOT);
    }

    /** The minutes held, oldest first; for the writer's thread. */
    List<Long> minutes() {
        List<Long> minutes = new ArrayList<>(calls.keySet());
        minutes.sort(null);
        return minutes;
    }

    /** The writer's thread reads the rollups of a minute it is about to write. */
    Map<CallKey, Counts> calls(long minute) {
        return calls.getOrDefault(minute, Map.of());
    }

    Map<LatencyKey, Latency> latencies(long minute) {
        return latencies.getOrDefault(minute, Map.of());
    }

    /** Forgets minutes once they are written. */
    synchronized void remove(List<Long> minutes) {
        for (Long minute : minutes) {
            calls.remove(minute);
            latencies.remove(minute);
            endpoints.remove(minute);
        }
    }

    /** Copies of the call rollups of the minutes {@code wanted} accepts. */
    synchronized void eachCalls(LongPredicate wanted, Predicate<CallKey> keys,
            BiConsumer<Long, Map<CallKey, Counts>> into) {
        calls.forEach((minute, rows) -> {
            if (wanted.test(minute)) {
                Map<CallKey, Counts> copy = new HashMap<>();
                rows.forEach((key, counts) -> {
                    if (keys.test(key)) {
                        copy.put(key, counts.copy());
                    }
                });
                into.accept(minute, copy);
            }
        });
    }

    /** Copies of the latency rollups of the minutes {@code wanted} accepts, for the keys {@code keys} accepts. */
    synchronized void eachLatencies(LongPredicate wanted, Predicate<LatencyKey> keys,
            BiConsumer<Long, Map<LatencyKey, Latency>> into) {
        latencies.forEach((minute, rows) -> {
            if (wanted.test(minute)) {
                Map<LatencyKey, Latency> copy = new HashMap<>();
                rows.forEach((key, latency) -> {
                    if (keys.test(key)) {
                        copy.put(key, latency.copy());
                    }
                });
                into.accept(minute, copy);
            }
        });
    }
}
