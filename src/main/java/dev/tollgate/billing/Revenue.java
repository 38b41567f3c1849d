package dev.tollgate.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.billing.store.LedgerStore;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Money figures for analytics, read from the ledger: what calls and subscriptions of APIs earned per day, what a
 * consumer paid for gateway calls, and the platform's revenue over time. Amounts in micros of the platform currency;
 * times are the ledger entries' (charges are written in batches, within seconds of their calls).
 */
@ApplicationScoped
public class Revenue {

    /**
     * One API's money on one day (UTC): {@code gross} what consumers paid (call charges and subscriptions),
     * {@code providerEarnings} the provider's share, {@code platform} the platform's (its fee, or all of it for an AI
     * model the platform sells); {@code calls} the charged calls.
     */
    public record ApiDay(LocalDate day, UUID apiId, long calls, long gross, long providerEarnings, long platform) {
    }

    /** The platform's revenue in one minute: all of it, and the part from AI calls. */
    public record Minute(Instant minute, long micros, long aiMicros) {
    }

    private final LedgerStore store;
    private final Ledger ledger;

    Revenue(LedgerStore store, Ledger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /** The platform currency, lower case. */
    public String currency() {
        return ledger.currency();
    }

    /** Per API and day in [from, to), of these APIs (every API when null), by day then API. */
    public List<ApiDay> byApiAndDay(Collection<UUID> apiIds, Instant from, Instant to) {
        if (apiIds != null && apiIds.isEmpty()) {
            return List.of();
        }
        List<Object[]> rows = QuarkusTransaction.requiringNew()
                .call(() -> store.apiMoney(apiIds, ledger.currency(), from, to));
        Map<List<Object>, long[]> sums = new LinkedHashMap<>(); // {calls, gross, earnings, platform}
        for (Object[] row : rows) {
            UUID api = (UUID) row[0];
            String kind = (String) row[1];
            LocalDate day = LocalDate.ofInstant((Instant) row[2], ZoneOffset.UTC);
            long amount = ((Number) row[3]).longValue();
            long[] sum = sums.computeIfAbsent(List.of(day, api), k -> new long[4]);
            switch (AccountKind.of(kind)) {
                case CONSUMER_WALLET -> {
                    // one wallet entry per transaction: it carries the calls and what was paid
                    sum[0] += row[4] == null ? 0 : ((Number) row[4]).longValue();
                    sum[1] -= amount;
                }
                case PROVIDER_EARNINGS -> sum[2] += amount;
                case PLATFORM_REVENUE -> sum[3] += amount;
                default -> {
                }
            }
        }
        List<ApiDay> days = new ArrayList<>(sums.size());
        sums.forEach((k, s) -> days.add(new ApiDay((LocalDate) k.get(0), (UUID) k.get(1), s[0], s[1], s[2], s[3])));
        days.sort(Comparator.comparing(ApiDay::day).thenComparing(ApiDay::apiId));
        return days;
    }

    /**
     * What a consumer paid in [from, to) for gateway calls and API subscriptions (AI calls not included: their cost is
     * in the usage rollups), optionally only for these APIs.
     */
    public long gatewaySpend(UUID consumerId, Collection<UUID> apiIds, Instant from, Instant to) {
        if (apiIds != null && apiIds.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> store.gatewaySpend(consumerId, apiIds, ledger.currency(), from, to));
    }

    /** The platform's revenue per minute in [from, to), only the minutes with some, oldest first. */
    public List<Minute> platformPerMinute(Instant from, Instant to) {
        List<Object[]> rows = QuarkusTransaction.requiringNew()
                .call(() -> store.platformRevenue(ledger.currency(), from, to));
        TreeMap<Long, long[]> minutes = new TreeMap<>();
        for (Object[] row : rows) {
            long minute = Math.floorDiv(((Instant) row[0]).toEpochMilli(), 60_000L) * 60_000L;
            long amount = ((Number) row[1]).longValue();
            long[] sum = minutes.computeIfAbsent(minute, m -> new long[2]);
            sum[0] += amount;
            if (row[2] != null) {
                sum[1] += amount;
            }
        }
        List<Minute> out = new ArrayList<>(minutes.size());
        minutes.forEach((m, s) -> out.add(new Minute(Instant.ofEpochMilli(m), s[0], s[1])));
        return out;
    }
}
