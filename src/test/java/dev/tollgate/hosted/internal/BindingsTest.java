package dev.tollgate.hosted.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.tollgate.platform.PublicHttp;
import io.vertx.core.Vertx;

import static dev.tollgate.hosted.internal.TestRequests.get;
import static dev.tollgate.hosted.internal.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a call's {@link Bindings} give the code — env, kv, fetch, console — and that nothing outlives the call. */
class BindingsTest {

    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = new Sandbox(new Sandbox.Limits(Duration.ofSeconds(3), 64L * 1024 * 1024, 50_000_000, 2,
                Duration.ofSeconds(2), 3));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static Sandbox.Program program(String routes) {
        return TestRequests.program(sandbox, routes);
    }

    private static Bindings env(Map<String, String> env) {
        return new Bindings(env, null, Fetcher.NONE);
    }

    @Test
    void env_is_a_frozen_object_of_this_calls_secrets_only() {
        Sandbox.Program program = program("\"GET /\": () => { const before = env.TOKEN; let frozen = false;"
                + " try { env.TOKEN = 'changed'; } catch (e) { frozen = e instanceof TypeError; }"
                + " return { json: { token: env.TOKEN ?? null, frozen, keys: Object.keys(env),"
                + " kept: globalThis.kept ?? null, set: (globalThis.kept = before, true) } }; }");
        assertThat(program.handle(get("/"), env(Map.of("TOKEN", "t-one"))).text()).isEqualTo("{\"token\":\"t-one\","
                + "\"frozen\":true,\"keys\":[\"TOKEN\"],\"kept\":null,\"set\":true}");
        // the same secrets: the pooled context is reused, and it kept what the code stored
        assertThat(program.handle(get("/"), env(Map.of("TOKEN", "t-one"))).text()).contains("\"kept\":\"t-one\"");
        // other secrets: a fresh context, so the first call's secret is nowhere
        assertThat(program.handle(get("/"), env(Map.of("TOKEN", "t-two"))).text()).isEqualTo("{\"token\":\"t-two\","
                + "\"frozen\":true,\"keys\":[\"TOKEN\"],\"kept\":null,\"set\":true}");
        assertThat(program.handle(get("/"), Bindings.NONE).text()).isEqualTo("{\"token\":null,\"frozen\":true,"
                + "\"keys\":[],\"kept\":null,\"set\":true}");
    }

    @Test
    void env_captured_at_load_or_after_the_call_is_empty() {
        Sandbox.Program program = program("\"GET /\": async () => ({ json: { now: env.KEY, atLoad: Object.keys("
                + "globalThis.loadEnv) } }) }, x: globalThis.loadEnv = env, y: { ");
        assertThat(program.handle(get("/"), env(Map.of("KEY", "secret-1"))).text())
                .isEqualTo("{\"now\":\"secret-1\",\"atLoad\":[]}");
    }

    @Test
    void secrets_never_appear_in_failure_messages_or_console_lines() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Sandbox.Program program = program("\"GET /\": () => { console.log('key is', env.API_KEY);"
                + " throw new Error('bad key ' + env.API_KEY) }");
        Bindings bindings = new Bindings(Map.of("API_KEY", "sk-very-secret"), null, Fetcher.NONE,
                (level, line) -> lines.add(level + " " + line));
        assertThatThrownBy(() -> program.handle(get("/"), bindings))
                .hasMessage("The handler failed: Error: bad key [env.API_KEY]");
        assertThat(lines).containsExactly("log key is [env.API_KEY]");
    }

    @Test
    void kv_stores_strings_and_json_with_checked_keys_and_values() {
        MemoryKvStore store = new MemoryKvStore(3);
        Sandbox.Program program = program("\"POST /put/{key}\": (req) => { kv.put(req.params.key, req.body);"
                + " return { status: 204 }; },"
                + " \"GET /get/{key}\": async (req) => ({ json: await kv.get(req.params.key) }),"
                + " \"POST /json\": () => { kv.putJson('j', { a: [1, 2] }); return { json: kv.getJson('j').a }; },"
                + " \"DELETE /del/{key}\": (req) => ({ json: kv.delete(req.params.key) }),"
                + " \"GET /list\": (req) => ({ json: kv.list(req.query.prefix, req.query.limit === undefined"
                + " ? undefined : Number(req.query.limit)) }),"
                + " \"GET /bad/{what}\": (req) => { try { ({ long: () => kv.get('k'.repeat(257)),"
                + " empty: () => kv.get(''), big: () => kv.put('big', 'x'.repeat(65537)),"
                + " object: () => kv.put('o', { a: 1 }), limit: () => kv.list('', 5000),"
                + " full: () => { kv.put('f1', '1'); kv.put('f2', '2'); } })[req.params.what](); return { json: 'no' };"
                + " } catch (e) { return { json: e.constructor.name + ': ' + e.message }; } }");
        Bindings bindings = new Bindings(Map.of(), store, Fetcher.NONE);
        assertThat(program.handle(request("POST", "/put/a:1", "one"), bindings).status()).isEqualTo(204);
        assertThat(program.handle(request("POST", "/put/a:2", "two"), bindings).status()).isEqualTo(204);
        assertThat(program.handle(get("/get/a:1"), bindings).text()).isEqualTo("\"one\"");
        assertThat(program.handle(get("/get/missing"), bindings).text()).isEqualTo("null");
        assertThat(program.handle(request("POST", "/json", null), bindings).text()).isEqualTo("[1,2]");
        assertThat(store.snapshot()).containsEntry("j", "{\"a\":[1,2]}");
        assertThat(program.handle(TestRequests.withQuery("/list", Map.of("prefix", List.of("a:"))), bindings).text())
                .isEqualTo("[\"a:1\",\"a:2\"]");
        assertThat(program.handle(TestRequests.withQuery("/list", Map.of("limit", List.of("1"))), bindings).text())
                .isEqualTo("[\"a:1\"]");
        assertThat(program.handle(request("DELETE", "/del/a:1", null), bindings).text()).isEqualTo("true");
        assertThat(program.handle(request("DELETE", "/del/a:1", null), bindings).text()).isEqualTo("false");
        Map<String, String> errors = Map.of("long", "TypeError: A kv key has 1 to 256 characters; this one has 257",
                "empty", "TypeError: A kv key has 1 to 256 characters; this one has 0",
                "big", "Error: A kv value is at most 65536 bytes (UTF-8); this one has 65537",
                "object", "TypeError: A kv value (use kv.putJson for other values) must be a string, not object",
                "limit", "TypeError: kv.list: the limit must be an integer from 1 to 1000",
                "full", "Error: kv: The store is full (at most 3 keys)");
        errors.forEach((what, message) -> assertThat(program.handle(get("/bad/" + what), bindings).text()).as(what)
                .isEqualTo("\"" + message + "\""));
        assertThatThrownBy(() -> program.handle(get("/get/x"), Bindings.NONE))
                .hasMessage("The handler failed: Error: This API has no key/value store");
    }

    @Test
    void kv_and_env_are_unavailable_outside_a_call() {
        assertThatThrownBy(() -> sandbox.load("kv.get('x'); export default { routes: { 'GET /': () => ({}) } };"))
                .hasMessageContaining("available only while a request is handled");
    }

    @Test
    void fetch_is_web_like_and_awaitable() {
        List<Fetcher.FetchRequest> sent = new ArrayList<>();
        Fetcher fake = request -> {
            sent.add(request);
            return new Fetcher.FetchResponse(201, Map.of("Content-Type", "application/json"), "{\"echo\":"
                    + (request.body() == null ? "null" : request.body()) + "}");
        };
        Sandbox.Program program = program("\"POST /\": async (req) => { const r = await fetch('https://api.example/x',"
                + " { method: 'post', headers: { 'X-Key': env.KEY }, body: JSON.stringify(req.json) });"
                + " await Promise.resolve(); const data = await r.json();"
                + " let again; try { await r.text(); } catch (e) { again = e.message; }"
                + " return { json: { status: r.status, ok: r.ok, type: r.headers.get('content-type'), data, again } };"
                + " }");
        HostedResponse response = program.handle(request("POST", "/", "{\"n\":1}"), new Bindings(Map.of("KEY",
                "k-123"), null, fake));
        assertThat(response.text()).isEqualTo("{\"status\":201,\"ok\":true,\"type\":\"application/json\","
                + "\"data\":{\"echo\":{\"n\":1}},\"again\":\"The body has already been read\"}");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).method()).isEqualTo("POST");
        assertThat(sent.get(0).url()).isEqualTo("https://api.example/x");
        assertThat(sent.get(0).headers()).containsExactly(Map.entry("X-Key", "k-123"));
        assertThat(sent.get(0).body()).isEqualTo("{\"n\":1}");
        assertThat(sent.get(0).timeout()).isLessThanOrEqualTo(Duration.ofSeconds(2)).isPositive();
    }

    @Test
    void fetch_refusals_are_rejected_promises_and_the_count_per_call_is_bounded() {
        AtomicInteger calls = new AtomicInteger();
        Fetcher fetcher = request -> {
            calls.incrementAndGet();
            if (request.url().contains("refuse")) {
                throw new Sandbox.Failure("error", request.url() + " points at an internal address");
            }
            return new Fetcher.FetchResponse(200, Map.of(), "ok");
        };
        Sandbox.Program program = program("\"GET /refused\": async () => { try { await fetch('http://refuse/');"
                + " return { json: 'fetched' }; } catch (e) { return { json: e.name + ': ' + e.message }; } },"
                + " \"GET /unhandled\": () => fetch('http://refuse/').then(() => ({ json: 1 })),"
                + " \"GET /many\": async () => { const out = []; for (let i = 0; i < 5; i++) {"
                + " try { out.push((await fetch('http://ok/' + i)).status); } catch (e) { out.push(e.message); } }"
                + " return { json: out }; }");
        Bindings bindings = new Bindings(Map.of(), null, fetcher);
        assertThat(program.handle(get("/refused"), bindings).text())
                .isEqualTo("\"TypeError: fetch failed: http://refuse/ points at an internal address\"");
        assertThatThrownBy(() -> program.handle(get("/unhandled"), bindings))
                .hasMessage(
                        "The handler failed: TypeError: fetch failed: http://refuse/ points at an internal address");
        calls.set(0);
        assertThat(program.handle(get("/many"), bindings).text()).isEqualTo("[200,200,200,\"fetch: at most 3"
                + " requests per call\",\"fetch: at most 3 requests per call\"]");
        assertThat(calls).hasValue(3);
        assertThat(program.handle(get("/many"), bindings).text()).startsWith("[200,200,200,"); // counted per call
        assertThat(program.handle(get("/refused"), Bindings.NONE).text())
                .isEqualTo("\"TypeError: fetch failed: outbound requests are not enabled for this API\"");
    }

    @Test
    void console_lines_are_captured_and_bounded() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Sandbox.Program program = program("\"GET /\": () => { console.warn('w', { a: 1 }, [2], null);"
                + " console.error('x'.repeat(600)); for (let i = 0; i < 100; i++) console.log(i); return {}; }");
        program.handle(get("/"), new Bindings(Map.of(), null, null, (level, line) -> lines.add(level + ":" + line)));
        assertThat(lines).hasSize(51);
        assertThat(lines.get(0)).isEqualTo("warn:w {\"a\":1} [2] null");
        assertThat(lines.get(1)).isEqualTo("error:" + "x".repeat(500) + "…");
        assertThat(lines.get(2)).isEqualTo("log:0");
        assertThat(lines.get(50)).isEqualTo("log:(more console lines were dropped: at most 50 per call)");
    }

    @Test
    void public_fetcher_reads_a_real_server_and_refuses_internal_addresses() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().equals("/big")
                    ? new byte[2000]
                    : ("{\"method\":\"" + exchange.getRequestMethod() + "\",\"got\":\"" + new String(exchange
                            .getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Multi", "a");
            exchange.getResponseHeaders().add("X-Multi", "b");
            exchange.sendResponseHeaders(202, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Vertx vertx = Vertx.vertx();
        try {
            PublicHttp http = new PublicHttp(vertx);
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Sandbox.Program program = program("\"GET /\": async (req) => { try { const r = await fetch(req.query.url,"
                    + " { method: 'PUT', body: 'hi' }); return { json: { status: r.status, multi: r.headers.get("
                    + "'x-multi'), body: await r.json() } }; } catch (e) { return { json: e.name + ': ' + e.message"
                    + " }; } }");
            Bindings allowed = new Bindings(Map.of(), null, new PublicFetcher(http, true, 1000));
            assertThat(program.handle(TestRequests.withQuery("/", Map.of("url", List.of(base + "/x"))), allowed)
                    .text()).isEqualTo("{\"status\":202,\"multi\":\"a, b\",\"body\":{\"method\":\"PUT\",\"got\":"
                            + "\"hi\"}}");
            assertThat(program.handle(TestRequests.withQuery("/", Map.of("url", List.of(base + "/big"))), allowed)
                    .text()).isEqualTo("\"TypeError: fetch failed: " + base + " gave a body larger than 1000"
                            + " bytes\"");
            Bindings publicOnly = new Bindings(Map.of(), null, new PublicFetcher(http, false));
            assertThat(program.handle(TestRequests.withQuery("/", Map.of("url", List.of(base + "/x"))), publicOnly)
                    .text()).isEqualTo("\"TypeError: fetch failed: " + base + " points at an internal address,"
                            + " which is not allowed\"");
            assertThat(program.handle(TestRequests.withQuery("/", Map.of("url", List.of("file:///etc/passwd"))),
                    publicOnly).text()).startsWith("\"TypeError: fetch failed: The URL must be an http or"
                            + " https URL");
        } finally {
            vertx.close();
            server.stop(0);
        }
    }

    @Test
    void a_fetch_refusal_never_shows_the_code_a_secret_in_its_url() {
        Fetcher fetcher = request -> {
            throw new Sandbox.Failure("error", request.url() + " could not be reached");
        };
        Sandbox.Program program = program("\"GET /\": async () => { try { await fetch('https://api.example/v1?key='"
                + " + env.API_KEY); return { json: 'fetched' }; } catch (e) { return { json: e.message }; } }");
        assertThat(program.handle(get("/"), new Bindings(Map.of("API_KEY", "sk-live-123456"), null, fetcher)).text())
                .isEqualTo("\"fetch failed: https://api.example/v1?key=[env.API_KEY] could not be reached\"");
    }

    @Test
    void the_public_fetcher_names_only_the_origin_of_a_url() {
        assertThat(PublicFetcher.origin("https://api.example:8443/v1/items?key=sk-live-123456#x"))
                .isEqualTo("https://api.example:8443");
        assertThat(PublicFetcher.origin("HTTP://api.example/secret/path")).isEqualTo("http://api.example");
        assertThat(PublicFetcher.origin("not a url ?key=sk-live-123456")).isEqualTo("The URL");
    }
}
