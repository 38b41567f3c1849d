package dev.tollgate.metering.internal.raw;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RawSamplingTest {

    @Test
    void keeps_every_error_whatever_the_share() {
        assertThat(IntStream.range(0, 10_000).filter(i -> RawSampling.keeps("err-" + i, 400 + i % 200, 0.01)))
                .hasSize(10_000);
    }

    @Test
    void keeps_every_success_at_share_one() {
        assertThat(IntStream.range(0, 10_000).filter(i -> RawSampling.keeps("ok-" + i, 200, 1.0))).hasSize(10_000);
    }

    @Test
    void keeps_about_the_share_of_successes_and_decides_an_id_alike_every_time() {
        long kept = IntStream.range(0, 100_000).filter(i -> RawSampling.keeps("req-" + i, 200, 0.1)).count();
        assertThat(kept).isBetween(9_500L, 10_500L);
        for (int i = 0; i < 1000; i++) {
            assertThat(RawSampling.keeps("req-" + i, 201, 0.1)).isEqualTo(RawSampling.keeps("req-" + i, 302, 0.1));
        }
        // a smaller share keeps a subset of what a larger one keeps
        assertThat(IntStream.range(0, 10_000)
                .filter(i -> RawSampling.keeps("req-" + i, 200, 0.05) && !RawSampling.keeps("req-" + i, 200, 0.2)))
                .isEmpty();
    }
}
