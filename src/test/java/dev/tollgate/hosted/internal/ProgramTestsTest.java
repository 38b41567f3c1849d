package dev.tollgate.hosted.internal;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner of a program's own tests: parsing, deep-subset matching, failures as failed cases. */
class ProgramTestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = new Sandbox(new Sandbox.Limits(Duration.ofMillis(500), 64L * 1024 * 1024, 50_000_000, 1));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void cases_pass_on_status_deep_subset_text_and_headers_and_fail_with_what_differs() throws Exception {
        Sandbox.Program program = sandbox.load("export default { routes: {"
                + " 'POST /items': (req) => ({ status: 201, json: { item: { ...req.json, id: 7, tags: ['a', 'b'] },"
                + " q: req.query.x, all: req.queryAll.x, h: req.headers['x-h'] } }),"
                + " 'GET /text': () => ({ text: 'plain', headers: { 'X-Kind': 'k' } }),"
                + " 'GET /boom': () => { throw new Error('boom'); } } };");
        List<ProgramTests.TestCase> cases = ProgramTests.parse(json("""
                [
                  {"name": "subset", "request": {"method": "post", "path": "/items", "query": {"x": ["1", "2"]},
                   "headers": {"X-H": "v"}, "json": {"name": "n"}},
                   "expected": {"status": 201, "json": {"item": {"name": "n", "tags": ["a", "b"]}, "q": "1",
                     "all": ["1", "2"], "h": "v"}, "headers": {"Content-Type": "application/json"}}},
                  {"name": "number equality", "request": {"method": "POST", "path": "/items", "json": {}},
                   "expected": {"status": 201, "json": {"item": {"id": 7.0}}}},
                  {"name": "missing field", "request": {"method": "POST", "path": "/items", "body": "x"},
                   "expected": {"status": 201, "json": {"item": {"name": "n"}}}},
                  {"name": "array length", "request": {"method": "POST", "path": "/items"},
                   "expected": {"status": 201, "json": {"item": {"tags": ["a"]}}}},
                  {"name": "status", "request": {"method": "GET", "path": "/text"}, "expected": {"status": 201}},
                  {"name": "text", "request": {"method": "GET", "path": "/text"},
                   "expected": {"status": 200, "text": "plain", "headers": {"x-kind": "k"}}},
                  {"name": "wrong text", "request": {"method": "GET", "path": "/text"},
                   "expected": {"status": 200, "text": "other"}},
                  {"name": "not json", "request": {"method": "GET", "path": "/text"},
                   "expected": {"status": 200, "json": {}}},
                  {"request": {"method": "GET", "path": "/boom"}, "expected": {"status": 200}}
                ]"""));
        List<ProgramTests.TestResult> results = ProgramTests.run(program, cases, Bindings.NONE);
        assertThat(results).extracting(ProgramTests.TestResult::name).containsExactly("subset", "number equality",
                "missing field", "array length", "status", "text", "wrong text", "not json", "GET /boom");
        assertThat(results).extracting(ProgramTests.TestResult::passed).containsExactly(true, true, false, false,
                false, true, false, false, false);
        assertThat(results.get(0).actualStatus()).isEqualTo(201);
        assertThat(results.get(2).error()).isEqualTo("$.item.name: missing");
        assertThat(results.get(3).error()).startsWith("$.item.tags: expected an array of 1, got [\"a\",\"b\"]");
        assertThat(results.get(4).error()).isEqualTo("Expected status 201, got 200");
        assertThat(results.get(6).error()).isEqualTo("Expected the text \"other\", got \"plain\"");
        assertThat(results.get(7).error()).isEqualTo("Expected JSON, got \"plain\"");
        assertThat(results.get(8).error()).isEqualTo("error: The handler failed: Error: boom");
        assertThat(results.get(8).actualStatus()).isZero();
    }

    @Test
    void malformed_cases_are_refused_with_what_is_wrong() {
        assertThatThrownBy(() -> ProgramTests.parse(json("{}"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> ProgramTests.parse(json("[1]"))).hasMessage("Test 1 must be an object {name,"
                + " request, expected}");
        assertThatThrownBy(() -> ProgramTests.parse(json("[{\"request\": {\"method\": \"GET\", \"path\": \"x\"},"
                + " \"expected\": {\"status\": 200}}]"))).hasMessage("Test 1: request.path must be a string starting"
                        + " with /");
        assertThatThrownBy(() -> ProgramTests.parse(json("[{\"request\": {\"path\": \"/\"}, \"expected\": {\"status\":"
                + " 200}}]"))).hasMessageContaining("request.method");
        assertThatThrownBy(() -> ProgramTests.parse(json("[{\"request\": {\"method\": \"GET\", \"path\": \"/\"},"
                + " \"expected\": {\"status\": 700}}]"))).hasMessageContaining("expected.status");
        assertThatThrownBy(() -> ProgramTests.parse(json("[{\"request\": {\"method\": \"GET\", \"path\": \"/\","
                + " \"body\": {}}, \"expected\": {\"status\": 200}}]"))).hasMessageContaining("request.body must be a"
                        + " string");
        assertThatThrownBy(() -> ProgramTests.parse(json("[{\"request\": {\"method\": \"GET\", \"path\": \"/\"},"
                + " \"expected\": {\"status\": 200, \"text\": 1}}]"))).hasMessageContaining("expected.text");
    }

    @Test
    void stored_results_have_the_secrets_redacted_and_the_body_cut_to_4_kb() throws Exception {
        Sandbox.Program program = sandbox.load("export default { routes: {"
                + " 'GET /key': () => ({ json: { key: env.API_KEY } }),"
                + " 'GET /long': () => ({ text: env.API_KEY + 'x'.repeat(10000) }) } };");
        List<ProgramTests.TestResult> results = ProgramTests.run(program, ProgramTests.parse(json("""
                [{"name": "key", "request": {"method": "GET", "path": "/key"},
                  "expected": {"status": 200, "json": {"key": "other"}}},
                 {"name": "long", "request": {"method": "GET", "path": "/long"},
                  "expected": {"status": 200, "text": "short"}}]
                """)), new Bindings(java.util.Map.of("API_KEY", "sk-live-123456"), null, Fetcher.NONE));
        assertThat(results.get(0).actualBody()).isEqualTo("{\"key\":\"[env.API_KEY]\"}");
        assertThat(results.get(0).error()).isEqualTo("$.key: expected \"other\", got \"[env.API_KEY]\"");
        assertThat(results.get(1).actualBody()).hasSize(4097).startsWith("[env.API_KEY]xxx").endsWith("x…");
        assertThat(results.get(1).error()).startsWith("Expected the text \"short\", got \"[env.API_KEY]xxx");
        assertThat(results).allSatisfy(result -> assertThat(result.actualBody() + result.error())
                .doesNotContain("sk-live-123456"));
    }

    @Test
    void a_json_null_request_sends_no_body() throws Exception {
        Sandbox.Program program = sandbox.load("export default { routes: {"
                + " 'POST /echo': (req) => ({ json: { body: req.body, type: req.headers['content-type'] ?? null } })"
                + " } };");
        List<ProgramTests.TestResult> results = ProgramTests.run(program, ProgramTests.parse(json("""
                [{"request": {"method": "POST", "path": "/echo", "json": null},
                  "expected": {"status": 200, "json": {"body": "", "type": null}}}]
                """)), Bindings.NONE);
        assertThat(results.get(0).passed()).as(results.get(0).error()).isTrue();
    }

    @Test
    void at_most_50_tests_are_parsed() throws Exception {
        String one = "{\"request\": {\"method\": \"GET\", \"path\": \"/\"}, \"expected\": {\"status\": 200}}";
        assertThat(ProgramTests.parse(json("[" + String.join(",", java.util.Collections.nCopies(50, one)) + "]")))
                .hasSize(50);
        assertThatThrownBy(() -> ProgramTests.parse(json("[" + String.join(",", java.util.Collections.nCopies(51,
                one)) + "]"))).isInstanceOf(IllegalArgumentException.class).hasMessage("At most 50 tests, not 51");
    }
}
