package dev.tollgate.hosted.internal;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        return sandbox.load("export default { routes: { " + routes + " } };");
    }

    @Test
    void a_handler_gets_the_request_and_answers_json() {
        Sandbox.Program program = program("\"GET /facts/{id}\": (req) => ({ status: 200, json: { id: req.params.id,"
                + " n: [1, 2, 3].map(x => x * 2), q: req.query.q ?? null } })");
        assertThat(program.routes()).containsExactly("GET /facts/{id}");
        for (int i = 0; i < 10; i++) { // the pooled context is reused
            assertThat(program.call(new Sandbox.Call("GET /facts/{id}", "{\"params\":{\"id\":\"" + i
                    + "\"},\"query\":{\"q\":\"x\"}}"))).isEqualTo("{\"status\":200,\"json\":{\"id\":\"" + i
                            + "\",\"n\":[2,4,6],\"q\":\"x\"}}");
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
    }

    @Test
    void the_host_is_out_of_reach() {
        Sandbox.Program program = program("\"GET /java\": () => ({ json: typeof Java }),"
                + " \"GET /system\": () => Java.type('java.lang.System').exit(1),"
                + " \"GET /env\": () => ({ json: typeof process }),"
                + " \"GET /polyglot\": () => Polyglot.eval('python', '1'),"
                + " \"GET /thread\": () => new Worker('x')");
        assertThat(program.call(new Sandbox.Call("GET /java", "{}"))).contains("\"undefined\"");
        assertThat(program.call(new Sandbox.Call("GET /env", "{}"))).contains("\"undefined\"");
        for (String route : new String[]{"GET /system", "GET /polyglot", "GET /thread"}) {
            assertThatThrownBy(() -> program.call(new Sandbox.Call(route, "{}"))).isInstanceOf(Sandbox.Failure.class)
                    .extracting(e -> ((Sandbox.Failure) e).kind()).isEqualTo("error");
        }
        assertThatThrownBy(() -> sandbox.load("import fs from 'fs'; export default { routes: { 'GET /': () => 1 } };"))
                .isInstanceOf(Sandbox.Failure.class);
        assertThatThrownBy(() -> sandbox.load("import x from '/etc/passwd'; export default { routes: { 'GET /': () => "
                + "1 } };")).isInstanceOf(Sandbox.Failure.class);
    }

    @Test
    void a_handler_that_runs_or_allocates_without_end_is_cancelled_and_others_go_on() {
        Sandbox.Program program = program("\"GET /loop\": () => { while (true) {} },"
                + " \"GET /hog\": () => { const a = []; while (true) { a.push('x'.repeat(1000) + a.length); } },"
                + " \"GET /ok\": () => ({ status: 200 })");
        long started = System.nanoTime();
        assertThatThrownBy(() -> program.call(new Sandbox.Call("GET /loop", "{}")))
                .isInstanceOf(Sandbox.Failure.class).extracting(e -> ((Sandbox.Failure) e).kind())
                .isIn("timeout");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
        assertThatThrownBy(() -> program.call(new Sandbox.Call("GET /hog", "{}")))
                .isInstanceOf(Sandbox.Failure.class).extracting(e -> ((Sandbox.Failure) e).kind())
                .isIn("memory", "timeout");
        assertThat(program.call(new Sandbox.Call("GET /ok", "{}"))).isEqualTo("{\"status\":200}");
        assertThat(program("\"GET /\": () => ({ status: 204 })").call(new Sandbox.Call("GET /", "{}")))
                .isEqualTo("{\"status\":204}");
    }

    @Test
    void a_handler_that_throws_is_an_error_and_its_context_is_replaced() {
        Sandbox.Program program = program("\"GET /boom\": () => { globalThis.dirty = true; throw new Error('boom') },"
                + " \"GET /clean\": () => ({ json: globalThis.dirty === undefined })");
        assertThatThrownBy(() -> program.call(new Sandbox.Call("GET /boom", "{}"))).hasMessageContaining("boom");
        assertThat(program.call(new Sandbox.Call("GET /clean", "{}"))).isEqualTo("{\"json\":true}");
    }

    @Test
    void allocating_past_the_budget_is_cancelled_as_memory_long_before_the_deadline() {
        try (Sandbox small = new Sandbox(new Sandbox.Limits(Duration.ofSeconds(20), 16L * 1024 * 1024, 500_000_000,
                2))) {
            Sandbox.Program program = small.load("export default { routes: { \"GET /hog\": () => { const a = [];"
                    + " while (true) { a.push('x'.repeat(1000) + a.length); } } } };");
            long started = System.nanoTime();
            assertThatThrownBy(() -> program.call(new Sandbox.Call("GET /hog", "{}")))
                    .isInstanceOf(Sandbox.Failure.class).hasMessageContaining("allocated more than 16 MB")
                    .extracting(e -> ((Sandbox.Failure) e).kind()).isEqualTo("memory");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
        }
    }
}
