package dev.tollgate.hosted.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.tollgate.hosted.internal.TestRequests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each rule of the sandbox against real GraalJS: what a handler can do, and everything it cannot. */
class SandboxTest {

    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = new Sandbox(new Sandbox.Limits(Duration.ofMillis(500), 64L * 1024 * 1024, 50_000_000, 4));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Sandbox.Program program(String routes) {
        return TestRequests.program(sandbox, routes);
    }

    @Test
    void a_handler_gets_the_request_and_answers_json() {
        Sandbox.Program program = program("\"GET /facts/{id}\": (req) => ({ status: 200, json: { id: req.params.id,"
                + " n: [1, 2, 3].map(x => x * 2), q: req.query.q ?? null } })");
        assertThat(program.routes()).containsExactly("GET /facts/{id}");
        for (int i = 0; i < 10; i++) { // the pooled context is reused
            HostedResponse response = program.handle(TestRequests.withQuery("/facts/" + i, Map.of("q", List.of("x"))),
                    Bindings.NONE);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("{\"id\":\"" + i + "\",\"n\":[2,4,6],\"q\":\"x\"}");
        }
    }

    @Test
    void code_that_is_not_a_module_with_routes_is_refused() {
        assertThatThrownBy(() -> sandbox.load("this is not javascript")).isInstanceOf(Sandbox.Failure.class)
                .hasMessageContaining("does not load");
        assertThatThrownBy(() -> sandbox.load("export default { nothing: 1 };"))
                .hasMessageContaining("export default { routes");
        assertThatThrownBy(() -> sandbox.load("export default { routes: { \"GET /\": 42 } };"))
                .hasMessageContaining("not a function");
        assertThatThrownBy(() -> sandbox.load("export default { routes: { \"FETCH /\": () => 1 } };"))
                .hasMessageContaining("unknown method").extracting(TestRequests::kind).isEqualTo("invalid");
        assertThatThrownBy(() -> sandbox.load("export default { routes: { \"GET facts\": () => 1 } };"))
                .hasMessageContaining("must be \"METHOD /path\"");
        assertThatThrownBy(() -> sandbox.load("export default { routes: { \"GET /a/{1x}\": () => 1 } };"))
                .hasMessageContaining("bad parameter");
        assertThatThrownBy(() -> sandbox.load("export default { routes: { \"GET /a/{x}\": () => 1,"
                + " \"GET /a/{y}\": () => 2 } };")).hasMessageContaining("repeats another route");
    }

    @Test
    void the_host_and_other_languages_are_out_of_reach() {
        Sandbox.Program program = program("\"GET /java\": () => ({ json: typeof Java }),"
                + " \"GET /system\": () => Java.type('java.lang.System').exit(1),"
                + " \"GET /process\": () => ({ json: typeof process }),"
                + " \"GET /polyglot\": () => Polyglot.eval('python', '1'),"
                + " \"GET /thread\": () => new Worker('x')");
        assertThat(program.handle(get("/java"), Bindings.NONE).text()).isEqualTo("\"undefined\"");
        assertThat(program.handle(get("/process"), Bindings.NONE).text()).isEqualTo("\"undefined\"");
        assertThatThrownBy(() -> program.handle(get("/system"), Bindings.NONE)).isInstanceOf(Sandbox.Failure.class)
                .hasMessageContaining("ReferenceError: Java is not defined").extracting(TestRequests::kind)
                .isEqualTo("error");
        for (String route : new String[]{"/polyglot", "/thread"}) {
            assertThatThrownBy(() -> program.handle(get(route), Bindings.NONE)).isInstanceOf(Sandbox.Failure.class)
                    .hasMessageContaining("ReferenceError").extracting(TestRequests::kind).isEqualTo("error");
        }
    }

    @Test
    void shell_and_engine_globals_do_not_exist() {
        Sandbox.Program program = program("\"GET /\": () => ({ json: ['load', 'loadWithNewGlobal', 'print',"
                + " 'printErr', 'read', 'readFully', 'readline', 'readbuffer', 'quit', 'exit', 'Graal', 'Polyglot',"
                + " 'Java', 'java', 'javax', 'Packages', 'performance', 'global', 'process', 'require', 'Deno',"
                + " 'setTimeout', 'setInterval', 'Worker', 'SharedArrayBuffer', 'Atomics']"
                + ".filter(name => typeof globalThis[name] !== 'undefined') })");
        // SharedArrayBuffer and Atomics are harmless without threads; everything else must be gone
        assertThat(program.handle(get("/"), Bindings.NONE).text()).isIn("[]", "[\"SharedArrayBuffer\",\"Atomics\"]");
    }

    @Test
    void files_cannot_be_read_by_import_or_any_global() {
        assertThatThrownBy(() -> sandbox.load("import fs from 'fs'; export default { routes: { 'GET /': () => 1 } };"))
                .isInstanceOf(Sandbox.Failure.class).extracting(TestRequests::kind).isEqualTo("invalid");
        assertThatThrownBy(() -> sandbox.load("import x from '/etc/passwd'; export default { routes: { 'GET /': () => "
                + "1 } };")).isInstanceOf(Sandbox.Failure.class);
        assertThatThrownBy(() -> sandbox.load("await import('file:///etc/passwd'); export default { routes: {"
                + " 'GET /': () => 1 } };")).isInstanceOf(Sandbox.Failure.class)
                .hasMessageContaining("not allowed");
        Sandbox.Program program = program("\"GET /import\": async () => { await import('file:///etc/passwd');"
                + " return { json: 'read' }; },"
                + " \"GET /load\": () => load('/etc/passwd'),"
                + " \"GET /read\": () => read('/etc/passwd')");
        assertThatThrownBy(() -> program.handle(get("/import"), Bindings.NONE)).isInstanceOf(Sandbox.Failure.class)
                .hasMessageContaining("not allowed").extracting(TestRequests::kind).isEqualTo("error");
        assertThatThrownBy(() -> program.handle(get("/load"), Bindings.NONE))
                .hasMessageContaining("load is not defined");
        assertThatThrownBy(() -> program.handle(get("/read"), Bindings.NONE))
                .hasMessageContaining("read is not defined");
    }

    @Test
    void a_handler_that_runs_or_allocates_without_end_is_cancelled_and_others_go_on() {
        Sandbox.Program program = program("\"GET /loop\": () => { while (true) {} },"
                + " \"GET /hog\": () => { const a = []; while (true) { a.push('x'.repeat(1000) + a.length); } },"
                + " \"GET /ok\": () => ({ status: 200 })");
        Sandbox.Program other = program("\"GET /\": () => ({ status: 204 })");
        long started = System.nanoTime();
        assertThatThrownBy(() -> program.handle(get("/loop"), Bindings.NONE)).isInstanceOf(Sandbox.Failure.class)
                .extracting(TestRequests::kind).isEqualTo("timeout");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
        assertThatThrownBy(() -> program.handle(get("/hog"), Bindings.NONE)).isInstanceOf(Sandbox.Failure.class)
                .extracting(TestRequests::kind).isIn("memory", "timeout");
        assertThat(program.handle(get("/ok"), Bindings.NONE).status()).isEqualTo(200);
        assertThat(other.handle(get("/"), Bindings.NONE).status()).isEqualTo(204);
    }

    @Test
    void eval_and_the_function_constructor_are_bounded_by_the_same_limits() {
        Sandbox.Program program = program("\"GET /eval\": () => eval('while (true) {}'),"
                + " \"GET /function\": () => new Function('const a = []; while (true) a.push(\"y\".repeat(1000))')(),"
                + " \"GET /fine\": () => ({ json: eval('1 + 1') + new Function('return 40')() })");
        assertThatThrownBy(() -> program.handle(get("/eval"), Bindings.NONE)).extracting(TestRequests::kind)
                .isEqualTo("timeout");
        assertThatThrownBy(() -> program.handle(get("/function"), Bindings.NONE)).extracting(TestRequests::kind)
                .isIn("memory", "timeout");
        assertThat(program.handle(get("/fine"), Bindings.NONE).text()).isEqualTo("42");
    }

    @Test
    void a_cancelled_context_is_never_reused() {
        Sandbox.Program program = program("\"GET /count\": () => { globalThis.n = (globalThis.n ?? 0) + 1;"
                + " return { json: globalThis.n }; },"
                + " \"GET /loop\": () => { globalThis.n = 1000; while (true) {} }");
        assertThat(program.handle(get("/count"), Bindings.NONE).text()).isEqualTo("1");
        assertThat(program.handle(get("/count"), Bindings.NONE).text()).isEqualTo("2");
        assertThatThrownBy(() -> program.handle(get("/loop"), Bindings.NONE)).extracting(TestRequests::kind)
                .isEqualTo("timeout");
        // a fresh context: neither the 1000 of the cancelled call nor the 2 of the context it replaced
        assertThat(program.handle(get("/count"), Bindings.NONE).text()).isEqualTo("1");
    }

    @Test
    void a_handler_that_throws_is_an_error_and_its_context_is_replaced() {
        Sandbox.Program program = program("\"GET /boom\": () => { globalThis.dirty = true; throw new Error('boom') },"
                + " \"GET /clean\": () => ({ json: globalThis.dirty === undefined })");
        assertThatThrownBy(() -> program.handle(get("/boom"), Bindings.NONE)).hasMessage("The handler failed: Error:"
                + " boom").extracting(TestRequests::kind).isEqualTo("error");
        assertThat(program.handle(get("/clean"), Bindings.NONE).text()).isEqualTo("true");
    }

    @Test
    void a_module_that_loops_while_loading_is_refused() {
        assertThatThrownBy(() -> sandbox.load("while (true) {} export default { routes: { 'GET /': () => 1 } };"))
                .isInstanceOf(Sandbox.Failure.class).extracting(TestRequests::kind).isEqualTo("timeout");
    }

    @Test
    void allocating_past_the_budget_is_cancelled_as_memory_long_before_the_deadline() {
        try (Sandbox small = new Sandbox(new Sandbox.Limits(Duration.ofSeconds(20), 16L * 1024 * 1024, 500_000_000,
                2))) {
            Sandbox.Program program = small.load("export default { routes: { \"GET /hog\": () => { const a = [];"
                    + " while (true) { a.push('x'.repeat(1000) + a.length); } } } };");
            long started = System.nanoTime();
            assertThatThrownBy(() -> program.handle(get("/hog"), Bindings.NONE))
                    .isInstanceOf(Sandbox.Failure.class).hasMessageContaining("allocated more than 16 MB")
                    .extracting(TestRequests::kind).isEqualTo("memory");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
        }
    }

    @Test
    void garbage_does_not_count_as_memory_kept_but_a_heap_filling_up_stops_the_largest_allocator() {
        // plain looping allocates ~200 MB/s in the interpreter: within a generous budget it runs to its end
        try (Sandbox generous = new Sandbox(new Sandbox.Limits(Duration.ofSeconds(20), 4L << 30, 500_000_000, 2))) {
            Sandbox.Program busy = generous.load("export default { routes: { \"GET /busy\": () => { const until ="
                    + " Date.now() + 1500; let n = 0; while (Date.now() < until) { n++; } return { json: { n } }; } } };");
            assertThat(busy.handle(get("/busy"), Bindings.NONE).status()).isEqualTo(200);
        }
        // a heap guard just above today's use: code that keeps what it allocates is stopped as memory
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean()
                .getHeapMemoryUsage();
        double ratio = Math.min(0.95, (heap.getUsed() + 256.0 * 1024 * 1024) / heap.getMax());
        try (Sandbox guarded = new Sandbox(new Sandbox.Limits(Duration.ofSeconds(20), 4L << 30, 500_000_000, 2),
                ratio)) {
            Sandbox.Program hog = guarded.load("export default { routes: { \"GET /hog\": () => { const a = [];"
                    + " while (true) { a.push('x'.repeat(1000) + a.length); } } } };");
            long started = System.nanoTime();
            assertThatThrownBy(() -> hog.handle(get("/hog"), Bindings.NONE)).isInstanceOf(Sandbox.Failure.class)
                    .hasMessageContaining("too much memory").extracting(TestRequests::kind).isEqualTo("memory");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(15_000);
        }
    }
}
