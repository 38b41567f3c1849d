package dev.tollgate.hosted.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.tollgate.hosted.internal.TestRequests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounds beyond one call's deadline and budget: a module's top-level code, what pooled contexts keep across
 * calls, response bodies, kv operations per call and the pool's lifecycle when a version is discarded.
 */
class SandboxBoundsTest {

    private static final long MB = 1024L * 1024;
    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        // a statement limit far beyond the deadline, so only the watchdog can stop top-level code in time
        sandbox = new Sandbox(new Sandbox.Limits(Duration.ofSeconds(2), 64 * MB, 2_000_000_000L, 1,
                Duration.ofSeconds(2), 3, Duration.ofSeconds(1), 32 * MB, 5));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Nested
    class Module_top_level_code {

        @Test
        void an_endless_loop_is_refused_at_the_load_deadline() {
            long started = System.nanoTime();
            assertThatThrownBy(() -> sandbox.load("while (true) {} export default { routes: { 'GET /': () => 1 } };"))
                    .isInstanceOf(Sandbox.Failure.class).hasMessage("The module did not load within 1000 ms")
                    .extracting(TestRequests::kind).isEqualTo("timeout");
            assertThat(millisSince(started)).isLessThan(4_000);
        }

        @Test
        void a_catastrophic_regex_is_refused_at_the_load_deadline() {
            long started = System.nanoTime();
            assertThatThrownBy(() -> sandbox.load("const slow = /^(a+)+\\1c$/.test('a'.repeat(40) + 'b');"
                    + " export default { routes: { 'GET /': () => ({ json: slow }) } };"))
                    .isInstanceOf(Sandbox.Failure.class).hasMessage("The module did not load within 1000 ms")
                    .extracting(TestRequests::kind).isEqualTo("timeout");
            assertThat(millisSince(started)).isLessThan(4_000);
        }

        @Test
        void a_huge_allocation_is_refused_as_memory() {
            long started = System.nanoTime();
            assertThatThrownBy(() -> sandbox.load("const kept = []; for (let i = 0; i < 100; i++) {"
                    + " kept.push(new Uint8Array(4 * 1024 * 1024)); }"
                    + " export default { routes: { 'GET /': () => ({ json: kept.length }) } };"))
                    .isInstanceOf(Sandbox.Failure.class).hasMessageContaining("too much memory while loading")
                    .extracting(TestRequests::kind).isEqualTo("memory");
            assertThat(millisSince(started)).isLessThan(4_000);
        }
    }

    @Nested
    class Memory_kept_across_calls {

        @Test
        void a_context_whose_calls_allocated_past_its_cap_is_replaced() {
            Sandbox.Program program = sandbox.load("export default { routes: { 'GET /keep': () => {"
                    + " (globalThis.kept ??= []).push(new Uint8Array(8 * 1024 * 1024));"
                    + " return { json: globalThis.kept.length }; } } };");
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                kept.add(Integer.valueOf(program.handle(get("/keep"), Bindings.NONE).text()));
            }
            // 8 MB a call against 32 MB a context: no context serves more than 4 calls
            assertThat(kept).allMatch(n -> n <= 4);
            assertThat(kept.subList(1, kept.size())).contains(1);
        }

        @Test
        void a_response_body_over_10_mb_is_invalid_and_one_under_it_is_sent() {
            Sandbox.Program program = sandbox.load("export default { routes: {"
                    + " 'GET /text': () => ({ text: 'x'.repeat(10 * 1024 * 1024 + 1) }),"
                    + " 'GET /json': () => ({ json: 'x'.repeat(10 * 1024 * 1024) }),"
                    + " 'GET /body': () => ({ body: 'x'.repeat(10 * 1024 * 1024 + 1) }),"
                    + " 'GET /bytes': () => ({ body: new Uint8Array(10 * 1024 * 1024 + 1) }),"
                    + " 'GET /utf8': () => ({ text: '\u00e9'.repeat(6 * 1024 * 1024) }),"
                    + " 'GET /fine': () => ({ body: new Uint8Array(10 * 1024 * 1024) }) } };");
            for (String route : List.of("/text", "/json", "/body", "/bytes", "/utf8")) {
                assertThatThrownBy(() -> program.handle(get(route), Bindings.NONE)).as(route)
                        .isInstanceOf(Sandbox.Failure.class).hasMessage("The response body is over 10 MB")
                        .extracting(TestRequests::kind).isEqualTo("invalid");
            }
            assertThat(program.handle(get("/fine"), Bindings.NONE).body()).hasSize(10 * 1024 * 1024);
        }
    }

    @Nested
    class Kv_operations {

        @Test
        void a_call_makes_a_bounded_number_and_the_next_call_starts_again() {
            Sandbox.Program program = sandbox.load("export default { routes: { 'GET /': () => { const out = [];"
                    + " for (let i = 0; i < 7; i++) { try { kv.put('k' + i, 'v'); out.push(kv.get('k' + i)); }"
                    + " catch (e) { out.push(e.message); } } return { json: out }; } } };");
            Bindings bindings = new Bindings(Map.of(), new MemoryKvStore(100), Fetcher.NONE);
            String bounded = "[\"v\",\"v\",\"kv: at most 5 operations per call\",\"kv: at most 5 operations per"
                    + " call\",\"kv: at most 5 operations per call\",\"kv: at most 5 operations per call\",\"kv: at"
                    + " most 5 operations per call\"]";
            assertThat(program.handle(get("/"), bindings).text()).isEqualTo(bounded);
            assertThat(program.handle(get("/"), bindings).text()).isEqualTo(bounded);
        }

        @Test
        void the_default_is_1000_per_call() {
            assertThat(new Sandbox.Limits(Duration.ofSeconds(30), MB, 1, 1).kvOperationsPerCall()).isEqualTo(1000);
            assertThat(new Sandbox.Limits(Duration.ofSeconds(30), MB, 1, 1).contextAllocationBytes())
                    .isEqualTo(256 * MB);
            assertThat(new Sandbox.Limits(Duration.ofSeconds(30), MB, 1, 1).loadTimeout())
                    .isEqualTo(Duration.ofSeconds(5));
            assertThat(new Sandbox.Limits(Duration.ofMillis(700), MB, 1, 1).loadTimeout())
                    .isEqualTo(Duration.ofMillis(700));
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void a_context_in_use_when_its_version_is_discarded_is_closed_not_pooled() throws Exception {
            Sandbox.Program program = sandbox.load("export default { routes: { 'GET /': () => {"
                    + " globalThis.n = (globalThis.n ?? 0) + 1; console.log('in the call'); return { json: n }; } } };");
            CountDownLatch inCall = new CountDownLatch(1);
            CountDownLatch discarded = new CountDownLatch(1);
            Bindings held = new Bindings(Map.of(), null, Fetcher.NONE, (level, line) -> {
                inCall.countDown();
                try {
                    discarded.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicReference<String> answer = new AtomicReference<>();
            Thread call = new Thread(() -> answer.set(program.handle(get("/"), held).text()));
            call.start();
            assertThat(inCall.await(5, TimeUnit.SECONDS)).isTrue();
            program.discard();
            discarded.countDown();
            call.join(5_000);
            assertThat(answer.get()).isEqualTo("1");
            // had the context gone back to the pool, this call would count 2 in it
            assertThat(program.handle(get("/"), Bindings.NONE).text()).isEqualTo("1");
        }
    }
}
