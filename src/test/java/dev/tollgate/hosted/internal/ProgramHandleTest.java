package dev.tollgate.hosted.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.tollgate.hosted.internal.TestRequests.get;
import static dev.tollgate.hosted.internal.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request/response contract of {@link Sandbox.Program#handle}: routing, what {@code req} holds, results. */
class ProgramHandleTest {

    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = new Sandbox(new Sandbox.Limits(Duration.ofMillis(1000), 64L * 1024 * 1024, 50_000_000, 2));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Sandbox.Program program(String routes) {
        return TestRequests.program(sandbox, routes);
    }

    @Test
    void literal_segments_beat_parameters_and_exact_methods_beat_any() {
        Sandbox.Program program = program("\"GET /facts/{id}\": (req) => ({ text: 'by id ' + req.params.id }),"
                + " \"GET /facts/random\": () => ({ text: 'random' }),"
                + " \"ANY /facts/{id}/raw\": (req) => ({ text: 'any ' + req.method }),"
                + " \"PUT /facts/{id}/raw\": () => ({ text: 'put' }),"
                + " \"* /\": (req) => ({ text: 'root ' + req.method })");
        assertThat(program.handle(get("/facts/random"), Bindings.NONE).text()).isEqualTo("random");
        assertThat(program.handle(get("/facts/7/"), Bindings.NONE).text()).isEqualTo("by id 7");
        assertThat(program.handle(get("/facts/a%20b"), Bindings.NONE).text()).isEqualTo("by id a b");
        assertThat(program.handle(request("DELETE", "/facts/7/raw", null), Bindings.NONE).text())
                .isEqualTo("any DELETE");
        assertThat(program.handle(request("PUT", "/facts/7/raw", null), Bindings.NONE).text()).isEqualTo("put");
        assertThat(program.handle(request("POST", "", null), Bindings.NONE).text()).isEqualTo("root POST");
    }

    @Test
    void no_route_is_a_json_404_listing_the_routes_and_a_wrong_method_a_405_with_allow() {
        Sandbox.Program program = program("\"GET /items\": () => ({}), \"POST /items\": () => ({}),"
                + " \"GET /items/{id}\": () => ({})");
        HostedResponse missing = program.handle(get("/nothing/here"), Bindings.NONE);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers()).containsEntry("content-type", "application/json");
        assertThat(missing.text()).isEqualTo("{\"error\":\"No route GET /nothing/here\",\"routes\":[\"GET /items\","
                + "\"POST /items\",\"GET /items/{id}\"]}");
        HostedResponse wrong = program.handle(request("DELETE", "/items", null), Bindings.NONE);
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.headers()).containsEntry("allow", "GET, POST");
        assertThat(wrong.text()).isEqualTo("{\"error\":\"Method DELETE is not allowed for /items\",\"allow\":[\"GET\","
                + "\"POST\"]}");
    }

    @Test
    void req_holds_method_path_params_query_headers_body_and_parsed_json() {
        Sandbox.Program program = program("\"POST /echo/{name}\": (req) => ({ json: req })");
        HostedRequest request = new HostedRequest("post", "/echo/ann",
                new TreeMap<>(Map.of("tag", List.of("a", "b"), "q",
                        List.of("x"))),
                Map.of("X-Trace", "t-1"), "{\"n\":[1,2]}".getBytes(StandardCharsets.UTF_8));
        assertThat(program.handle(request, Bindings.NONE).text()).isEqualTo("{\"method\":\"POST\",\"path\":"
                + "\"/echo/ann\",\"params\":{\"name\":\"ann\"},\"query\":{\"q\":\"x\",\"tag\":\"a\"},\"queryAll\":{"
                + "\"q\":[\"x\"],\"tag\":[\"a\",\"b\"]},\"headers\":{\"x-trace\":\"t-1\"},\"body\":\"{\\\"n\\\":[1,2]}\","
                + "\"json\":{\"n\":[1,2]}}");
        String plain = program.handle(request("POST", "/echo/bob", "not json"), Bindings.NONE).text();
        assertThat(plain).contains("\"body\":\"not json\"", "\"json\":null");
        assertThat(program.handle(request("POST", "/echo/bob", null), Bindings.NONE).text()).contains("\"body\":\"\"",
                "\"json\":null");
    }

    @Test
    void results_become_responses_with_their_content_types() {
        Sandbox.Program program = program("\"GET /json\": () => ({ json: { a: 1 } }),"
                + " \"GET /text\": () => ({ status: 201, text: 'héllo' }),"
                + " \"GET /html\": () => ({ headers: { 'Content-Type': 'text/html' }, text: '<p>' }),"
                + " \"GET /bytes\": () => ({ headers: { 'content-type': 'application/octet-stream' },"
                + " body: new Uint8Array([1, 2, 255]).subarray(1) }),"
                + " \"GET /string\": () => ({ body: 'raw' }),"
                + " \"GET /empty\": () => ({ status: 204, headers: { 'x-n': 5 } })");
        HostedResponse json = program.handle(get("/json"), Bindings.NONE);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.headers()).containsExactly(Map.entry("content-type", "application/json"));
        assertThat(json.text()).isEqualTo("{\"a\":1}");
        HostedResponse text = program.handle(get("/text"), Bindings.NONE);
        assertThat(text.status()).isEqualTo(201);
        assertThat(text.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
        assertThat(text.body()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(program.handle(get("/html"), Bindings.NONE).headers()).containsExactly(Map.entry("content-type",
                "text/html"));
        assertThat(program.handle(get("/bytes"), Bindings.NONE).body()).containsExactly(2, (byte) 255);
        HostedResponse string = program.handle(get("/string"), Bindings.NONE);
        assertThat(string.text()).isEqualTo("raw");
        assertThat(string.headers()).isEmpty();
        HostedResponse empty = program.handle(get("/empty"), Bindings.NONE);
        assertThat(empty.status()).isEqualTo(204);
        assertThat(empty.body()).isEmpty();
        assertThat(empty.headers()).containsExactly(Map.entry("x-n", "5"));
    }

    @Test
    void results_that_are_not_responses_are_invalid() {
        Sandbox.Program program = program("\"GET /number\": () => 42,"
                + " \"GET /status\": () => ({ status: 99 }),"
                + " \"GET /fraction\": () => ({ status: 200.5 }),"
                + " \"GET /header\": () => ({ headers: { a: {} } }),"
                + " \"GET /inject\": () => ({ headers: { a: 'x\\r\\nset-cookie: y' } }),"
                + " \"GET /two\": () => ({ json: 1, text: '1' }),"
                + " \"GET /cycle\": () => { const a = {}; a.a = a; return { json: a }; },"
                + " \"GET /object\": () => ({ body: { a: 1 } })");
        for (String path : List.of("/number", "/status", "/fraction", "/header", "/inject", "/two", "/cycle",
                "/object")) {
            assertThatThrownBy(() -> program.handle(get(path), Bindings.NONE)).as(path)
                    .isInstanceOf(Sandbox.Failure.class).extracting(TestRequests::kind).isEqualTo("invalid");
        }
        assertThatThrownBy(() -> program.handle(get("/status"), Bindings.NONE))
                .hasMessage("status must be an integer from 100 to 599, not 99");
        assertThatThrownBy(() -> program.handle(get("/two"), Bindings.NONE))
                .hasMessage("Give one of json, text or body, not json and text");
    }

    @Test
    void async_handlers_and_promise_chains_are_resolved() {
        Sandbox.Program program = program("\"GET /async\": async (req) => { await Promise.resolve(); const x ="
                + " await new Promise(r => r(20)); await null; return { json: x + 1 }; },"
                + " \"GET /then\": () => Promise.resolve(2).then(x => x * 2).then(x => ({ json: x })),"
                + " \"GET /rejected\": async () => { await Promise.resolve(); throw new TypeError('nope'); },"
                + " \"GET /reject-value\": () => Promise.reject('plain reason'),"
                + " \"GET /never\": () => new Promise(() => {})");
        assertThat(program.handle(get("/async"), Bindings.NONE).text()).isEqualTo("21");
        assertThat(program.handle(get("/then"), Bindings.NONE).text()).isEqualTo("4");
        assertThatThrownBy(() -> program.handle(get("/rejected"), Bindings.NONE))
                .hasMessage("The handler failed: TypeError: nope").extracting(TestRequests::kind)
                .isEqualTo("error");
        assertThatThrownBy(() -> program.handle(get("/reject-value"), Bindings.NONE))
                .hasMessage("The handler failed: \"plain reason\"");
        assertThatThrownBy(() -> program.handle(get("/never"), Bindings.NONE)).hasMessageContaining("never settled")
                .extracting(TestRequests::kind).isEqualTo("error");
    }

    @Test
    void one_api_that_crashes_leaves_another_working() {
        Sandbox.Program crashing = program("\"GET /\": () => { throw new Error('down') }");
        Sandbox.Program working = program("\"GET /\": () => ({ json: 'up' })");
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> crashing.handle(get("/"), Bindings.NONE)).hasMessageContaining("down");
            assertThat(working.handle(get("/"), Bindings.NONE).text()).isEqualTo("\"up\"");
        }
    }
}
