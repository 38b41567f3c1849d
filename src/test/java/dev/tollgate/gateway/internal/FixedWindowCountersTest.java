package dev.tollgate.gateway.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FixedWindowCountersTest {

    private final FixedWindowCounters counters = new FixedWindowCounters();

    @Test
    void exactly_the_limit_passes_under_contention() throws Exception {
        int threads = 8;
        int attemptsEach = 5_000;
        long limit = 12_345;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> allowed = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                allowed.add(pool.submit(() -> {
                    start.await();
                    int passed = 0;
                    for (int i = 0; i < attemptsEach; i++) {
                        if (counters.tryAcquire("k", limit, 0, 60_000).allowed()) {
                            passed++;
                        }
                    }
                    return passed;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : allowed) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(limit);
            assertThat(counters.used("k", 0)).isEqualTo(limit);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_new_window_starts_fresh_and_a_late_caller_joins_the_newer_one() {
        assertThat(counters.tryAcquire("k", 1, 0, 1_000).allowed()).isTrue();
        assertThat(counters.tryAcquire("k", 1, 0, 1_000).allowed()).isFalse();
        FixedWindowCounters.Result next = counters.tryAcquire("k", 1, 1_000, 2_000);
        assertThat(next.allowed()).isTrue();
        assertThat(next.windowEndMillis()).isEqualTo(2_000);
        // a call whose clock read was still in the old window counts in the current one, never resets it
        FixedWindowCounters.Result late = counters.tryAcquire("k", 1, 0, 1_000);
        assertThat(late.allowed()).isFalse();
        assertThat(late.windowEndMillis()).isEqualTo(2_000);
    }

    @Test
    void release_gives_back_only_in_the_same_window_and_never_below_zero() {
        counters.tryAcquire("k", 5, 0, 1_000);
        counters.release("k", 0);
        counters.release("k", 0);
        assertThat(counters.used("k", 0)).isZero();
        counters.tryAcquire("k", 5, 1_000, 2_000);
        counters.release("k", 0);
        assertThat(counters.used("k", 1_000)).isEqualTo(1);
    }

    @Test
    void an_acquisition_counted_in_a_newer_window_is_released_from_that_window() {
        counters.tryAcquire("k", 5, 1_000, 2_000);
        // a caller whose clock read is a little older still counts in the current window, and says so
        FixedWindowCounters.Result late = counters.tryAcquire("k", 5, 0, 1_000);
        assertThat(late.windowStartMillis()).isEqualTo(1_000);
        assertThat(counters.used("k", 1_000)).isEqualTo(2);
        counters.release("k", late.windowStartMillis());
        assertThat(counters.used("k", 1_000)).isEqualTo(1);
    }

    @Test
    void seeding_keeps_the_larger_count_and_ended_windows_are_evicted() {
        counters.tryAcquire("a", 10, 0, 1_000);
        counters.seed("a", 0, 1_000, 4);
        counters.seed("b", 0, 5_000, 7);
        counters.seed("b", 0, 5_000, 3);
        assertThat(counters.used("a", 0)).isEqualTo(4);
        assertThat(counters.used("b", 0)).isEqualTo(7);
        FixedWindowCounters.Result result = counters.tryAcquire("b", 8, 0, 5_000);
        assertThat(result.allowed()).isTrue();
        assertThat(result.remaining()).isZero();

        assertThat(counters.evictEnded(1_000)).isEqualTo(1);
        assertThat(counters.size()).isEqualTo(1);
        assertThat(counters.used("a", 0)).isZero();
    }
}
