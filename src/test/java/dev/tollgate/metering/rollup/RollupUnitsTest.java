package dev.tollgate.metering.rollup;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.UsageEvent;

import static org.assertj.core.api.Assertions.assertThat;

class RollupUnitsTest {

    /** Compaction is past every bucket of these tests. */
    private static final long ALL = Long.MAX_VALUE;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void a_window_is_read_as_whole_days_then_whole_hours_then_minutes() {
        List<Granularity.Segment> plan = Granularity.plan(at("2026-11-01T22:10:00Z"), at("2026-11-04T01:30:00Z"),
                Granularity.DAY, ALL, ALL);
        assertThat(plan).containsExactlyInAnyOrder(
                new Granularity.Segment(Granularity.DAY, at("2026-11-02T00:00:00Z"), at("2026-11-04T00:00:00Z")),
                new Granularity.Segment(Granularity.HOUR, at("2026-11-01T23:00:00Z"), at("2026-11-02T00:00:00Z")),
                new Granularity.Segment(Granularity.MINUTE, at("2026-11-01T22:10:00Z"), at("2026-11-01T23:00:00Z")),
                new Granularity.Segment(Granularity.HOUR, at("2026-11-04T00:00:00Z"), at("2026-11-04T01:00:00Z")),
                new Granularity.Segment(Granularity.MINUTE, at("2026-11-04T01:00:00Z"), at("2026-11-04T01:30:00Z")));
    }

    @Test
    void a_window_never_uses_a_granularity_coarser_than_asked() {
        assertThat(Granularity.plan(at("2026-11-01T00:00:00Z"), at("2026-11-03T00:00:00Z"), Granularity.HOUR, ALL, ALL))
                .containsExactly(new Granularity.Segment(Granularity.HOUR, at("2026-11-01T00:00:00Z"),
                        at("2026-11-03T00:00:00Z")));
        assertThat(Granularity.plan(at("2026-11-01T00:00:30Z"), at("2026-11-01T00:05:00Z"), Granularity.DAY, ALL, ALL))
                .containsExactly(new Granularity.Segment(Granularity.MINUTE, at("2026-11-01T00:00:30Z"),
                        at("2026-11-01T00:05:00Z")));
        assertThat(Granularity.plan(at("2026-11-01T00:05:00Z"), at("2026-11-01T00:05:00Z"), Granularity.DAY, ALL, ALL))
                .isEmpty();
    }

    @Test
    void a_window_reads_minutes_where_compaction_has_not_been_yet() {
        // hours compacted up to 2026-11-03T05:00, days up to 2026-11-03
        assertThat(Granularity.plan(at("2026-11-01T00:00:00Z"), at("2026-11-04T00:00:00Z"), Granularity.DAY,
                at("2026-11-03T05:00:00Z"), at("2026-11-03T00:00:00Z"))).containsExactlyInAnyOrder(
                        new Granularity.Segment(Granularity.DAY, at("2026-11-01T00:00:00Z"),
                                at("2026-11-03T00:00:00Z")),
                        new Granularity.Segment(Granularity.HOUR, at("2026-11-03T00:00:00Z"),
                                at("2026-11-03T05:00:00Z")),
                        new Granularity.Segment(Granularity.MINUTE, at("2026-11-03T05:00:00Z"),
                                at("2026-11-04T00:00:00Z")));
        // nothing compacted: minutes only
        assertThat(Granularity.plan(at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z"), Granularity.DAY,
                Long.MIN_VALUE, Long.MIN_VALUE)).containsExactly(new Granularity.Segment(Granularity.MINUTE,
                        at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z")));
    }

    @Test
    void endpoints_are_templates_of_the_path_without_the_gateway_prefix() {
        assertThat(Endpoints.template("GET", "/gw/weather/v1/cities/42")).isEqualTo("GET /v1/cities/{id}");
        assertThat(Endpoints.template("GET", "/gw/weather/users/3fa85f64-5717-4562-b3fc-2c963f66afa6/orders"))
                .isEqualTo("GET /users/{id}/orders");
        assertThat(Endpoints.template("DELETE", "/gw/shop/items/0123456789abcdef01")).isEqualTo("DELETE /items/{id}");
        assertThat(Endpoints.template("GET", "/gw/shop/tokens/AbC123xYz789Q")).isEqualTo("GET /tokens/{id}");
        assertThat(Endpoints.template("GET", "/gw/shop/products/blue-shoes")).isEqualTo("GET /products/blue-shoes");
        assertThat(Endpoints.template("GET", "/gw/shop")).isEqualTo("GET /");
        assertThat(Endpoints.template("POST", "/v1/chat/completions")).isEqualTo("POST /v1/chat/completions");
        assertThat(Endpoints.template("GET", "/gw/x/" + "z".repeat(400))).hasSize(Endpoints.MAX_LENGTH);
    }

    @Test
    void countries_are_upper_case_codes_or_unknown() {
        assertThat(RollupFolder.country("de")).isEqualTo("DE");
        assertThat(RollupFolder.country(null)).isEqualTo("unknown");
        assertThat(RollupFolder.country(" ")).isEqualTo("unknown");
        assertThat(RollupFolder.country("<script>")).isEqualTo("unknown");
    }

    @Test
    void latency_histograms_survive_encoding_and_merge_exactly() {
        Latency a = new Latency();
        Latency b = new Latency();
        for (int ms = 1; ms <= 1000; ms++) {
            UsageEvent call = new UsageEvent("r" + ms, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null,
                    "GET", "/x", ms % 10 == 0 ? 500 : 200, ms, ms, 1, 2, 0L, true, null, null);
            (ms % 2 == 0 ? a : b).record(call, ms);
        }
        Latency merged = Latency.decode(a.counts.copy(), a.minMs, a.encode());
        merged.add(Latency.decode(b.counts.copy(), b.minMs, b.encode()));
        assertThat(merged.counts.errors).isEqualTo(100);
        assertThat(merged.counts.bytesOut).isEqualTo(2000);
        var stats = merged.stats();
        assertThat(stats.calls()).isEqualTo(1000);
        assertThat(stats.avg()).isEqualTo(500.5);
        assertThat(stats.min()).isEqualTo(1);
        assertThat(stats.max()).isEqualTo(1000);
        assertThat(stats.p50()).isBetween(495L, 505L);
        assertThat(stats.p95()).isBetween(940L, 960L);
        assertThat(stats.p99()).isBetween(980L, 1000L);
    }

    @Test
    void encoded_histograms_are_added_exactly_as_decoding_them_would() {
        java.util.Random random = new java.util.Random(7);
        org.HdrHistogram.Histogram slow = new org.HdrHistogram.Histogram(2);
        org.HdrHistogram.Histogram fast = new org.HdrHistogram.Histogram(2);
        for (int round = 0; round < 50; round++) {
            Latency part = new Latency();
            int calls = 1 + random.nextInt(500);
            for (int i = 0; i < calls; i++) {
                // zeros, exact small values, and values up to the hour where buckets are coarse
                int ms = switch (i % 4) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(300);
                    case 2 -> random.nextInt(60_000);
                    default -> (int) Math.min(Latency.HIGHEST_MS, (long) Math.exp(random.nextDouble() * 16));
                };
                part.record(new UsageEvent("r", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null, "GET",
                        "/x", 200, ms, ms, 0, 0, 0L, true, null, null), ms);
            }
            byte[] encoded = part.encode();
            slow.add(org.HdrHistogram.Histogram.decodeFromByteBuffer(java.nio.ByteBuffer.wrap(encoded), 0));
            assertThat(Latency.recordEncoded(fast, encoded)).isTrue();
        }
        assertThat(fast.getTotalCount()).isEqualTo(slow.getTotalCount());
        for (double p : new double[]{0, 1, 10, 50, 90, 95, 99, 99.9, 100}) {
            assertThat(fast.getValueAtPercentile(p)).as("p%s", p).isEqualTo(slow.getValueAtPercentile(p));
        }
        assertThat(fast.getMean()).isEqualTo(slow.getMean());
        assertThat(Latency.recordEncoded(fast, new byte[]{1, 2, 3})).isFalse();
    }
}
