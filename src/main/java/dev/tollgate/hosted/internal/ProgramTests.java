package dev.tollgate.hosted.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A program's own tests: requests with the answers expected of them, run through {@link Sandbox.Program#handle}. A
 * case passes when the status is equal, the expected {@code json} is a deep subset of the answer's (objects: every
 * expected field present and matching; arrays: the same length, element by element; other values equal), the
 * expected {@code text} equals the body and the expected {@code headers} are present with equal values (names in any
 * case). A {@link Sandbox.Failure} is a failed case carrying its message. Stateless; thread-safe.
 */
public final class ProgramTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most tests one program may have. */
    static final int MAX_TESTS = 50;
    /** The characters of an answer's body a result keeps; a longer one is cut and ends with "…". */
    static final int BODY_CHARS = 4096;

    /**
     * One case: {@code request} = {@code {method, path, query?: {name: value | [values]}, headers?: {…}, body?: string,
     * json?: any}} ({@code json} is sent as the body, with {@code content-type: application/json}); {@code expected} =
     * {@code {status, json?, text?, headers?}}.
     */
    public record TestCase(String name, JsonNode request, JsonNode expected) {
    }

    /**
     * The outcome of one case; {@code error} says why it failed ({@code null} when it passed). {@code actualBody} and
     * {@code error} have the bindings' secrets replaced by {@code [env.NAME]} (they are stored and shown), and the body
     * is cut to 4,096 characters, ending with "…" when it was longer.
     */
    public record TestResult(String name, JsonNode request, JsonNode expected, boolean passed, int actualStatus,
            String actualBody, String error) {
    }

    private ProgramTests() {
    }

    /** Runs every case in order with the same bindings (a kv store is shared, so cases may build on each other). */
    public static List<TestResult> run(Sandbox.Program program, List<TestCase> cases, Bindings bindings) {
        List<TestResult> results = new ArrayList<>();
        for (TestCase test : cases) {
            results.add(run(program, test, bindings));
        }
        return results;
    }

    private static TestResult run(Sandbox.Program program, TestCase test, Bindings bindings) {
        Secrets secrets = new Secrets(bindings.env());
        HostedResponse response;
        try {
            response = program.handle(request(test.request()), bindings);
        } catch (Sandbox.Failure e) {
            return new TestResult(test.name(), test.request(), test.expected(), false, 0, null, secrets.redact(e
                    .kind() + ": " + e.getMessage()));
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String error = mismatch(test.expected(), response, body);
        return new TestResult(test.name(), test.request(), test.expected(), error == null, response.status(),
                cut(secrets.redact(body)), error == null ? null : secrets.redact(error));
    }

    /** The body cut to {@link #BODY_CHARS}, never inside a surrogate pair. */
    private static String cut(String body) {
        if (body.length() <= BODY_CHARS) {
            return body;
        }
        int end = Character.isHighSurrogate(body.charAt(BODY_CHARS - 1)) ? BODY_CHARS - 1 : BODY_CHARS;
        return body.substring(0, end) + "…";
    }

    /** What differs between the expectation and the answer, or {@code null}. */
    private static String mismatch(JsonNode expected, HostedResponse response, String body) {
        int status = expected.get("status").asInt();
        if (status != response.status()) {
            return "Expected status " + status + ", got " + response.status();
        }
        if (expected.hasNonNull("text") && !expected.get("text").asText().equals(body)) {
            return "Expected the text " + expected.get("text") + ", got " + quote(body);
        }
        if (expected.has("json")) {
            JsonNode actual;
            try {
                actual = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return "Expected JSON, got " + quote(body);
            }
            if (actual == null || actual.isMissingNode()) {
                return "Expected JSON, got an empty body";
            }
            String difference = subset(expected.get("json"), actual, "$");
            if (difference != null) {
                return difference;
            }
        }
        if (expected.has("headers")) {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("headers").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> header = it.next();
                String actual = headers.get(header.getKey().toLowerCase(Locale.ROOT));
                if (!header.getValue().asText().equals(actual)) {
                    return "Expected the header " + header.getKey() + ": " + header.getValue().asText() + ", got "
                            + (actual == null ? "none" : actual);
                }
            }
        }
        return null;
    }

    /** Whether {@code expected} is a deep subset of {@code actual}; where not, what differs at which JSON path. */
    static String subset(JsonNode expected, JsonNode actual, String at) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return at + ": expected an object, got " + actual;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!actual.has(field.getKey())) {
                    return at + "." + field.getKey() + ": missing";
                }
                String difference = subset(field.getValue(), actual.get(field.getKey()), at + "." + field.getKey());
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return at + ": expected an array of " + expected.size() + ", got " + actual;
            }
            for (int i = 0; i < expected.size(); i++) {
                String difference = subset(expected.get(i), actual.get(i), at + "[" + i + "]");
                if (difference != null) {
                    return difference;
                }
            }
            return null;
        }
        boolean equal = expected.isNumber() && actual.isNumber()
                ? expected.decimalValue().compareTo(actual.decimalValue()) == 0
                : expected.equals(actual);
        return equal ? null : at + ": expected " + expected + ", got " + actual;
    }

    private static HostedRequest request(JsonNode request) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.path("query").fields().forEachRemaining(field -> {
            List<String> values = new ArrayList<>();
            if (field.getValue().isArray()) {
                field.getValue().forEach(value -> values.add(value.asText()));
            } else {
                values.add(field.getValue().asText());
            }
            query.put(field.getKey(), values);
        });
        Map<String, String> headers = new LinkedHashMap<>();
        request.path("headers").fields().forEachRemaining(field -> headers.put(field.getKey().toLowerCase(Locale.ROOT),
                field.getValue().asText()));
        byte[] body = null;
        if (request.hasNonNull("json")) {
            body = request.get("json").toString().getBytes(StandardCharsets.UTF_8);
            headers.putIfAbsent("content-type", "application/json");
        } else if (request.hasNonNull("body")) {
            body = request.get("body").asText().getBytes(StandardCharsets.UTF_8);
        }
        return new HostedRequest(request.get("method").asText().toUpperCase(Locale.ROOT), request.get("path").asText(),
                query, headers, body);
    }

    /**
     * The cases of a JSON array {@code [{name?, request, expected}]} of at most 50; {@link IllegalArgumentException}
     * naming the first case that is not one, or saying there are too many (a missing name becomes
     * {@code "METHOD /path"}).
     */
    public static List<TestCase> parse(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("Tests must be a JSON array of {name, request, expected}");
        }
        if (array.size() > MAX_TESTS) {
            throw new IllegalArgumentException("At most " + MAX_TESTS + " tests, not " + array.size());
        }
        List<TestCase> cases = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode test = array.get(i);
            String where = "Test " + (i + 1);
            if (!test.isObject()) {
                throw new IllegalArgumentException(where + " must be an object {name, request, expected}");
            }
            JsonNode request = test.get("request");
            JsonNode expected = test.get("expected");
            if (request == null || !request.isObject()) {
                throw new IllegalArgumentException(where + ": request must be an object {method, path, …}");
            }
            if (!request.path("method").isTextual() || !request.path("method").asText().matches("[A-Za-z]{1,10}")) {
                throw new IllegalArgumentException(where + ": request.method must be an HTTP method such as \"GET\"");
            }
            if (!request.path("path").isTextual() || !request.path("path").asText().startsWith("/")) {
                throw new IllegalArgumentException(where + ": request.path must be a string starting with /");
            }
            for (String field : List.of("query", "headers")) {
                if (request.has(field) && !request.get(field).isObject()) {
                    throw new IllegalArgumentException(where + ": request." + field + " must be an object");
                }
            }
            if (request.has("body") && !request.get("body").isTextual()) {
                throw new IllegalArgumentException(where + ": request.body must be a string (use request.json for"
                        + " JSON)");
            }
            if (request.has("body") && request.hasNonNull("json")) {
                throw new IllegalArgumentException(where + ": give request.body or request.json, not both");
            }
            if (expected == null || !expected.isObject()) {
                throw new IllegalArgumentException(where + ": expected must be an object {status, json?, text?,"
                        + " headers?}");
            }
            if (!expected.path("status").isInt() || expected.get("status").asInt() < 100
                    || expected.get("status").asInt() > 599) {
                throw new IllegalArgumentException(where + ": expected.status must be an integer from 100 to 599");
            }
            if (expected.has("text") && !expected.get("text").isTextual()) {
                throw new IllegalArgumentException(where + ": expected.text must be a string");
            }
            if (expected.has("headers") && !expected.get("headers").isObject()) {
                throw new IllegalArgumentException(where + ": expected.headers must be an object");
            }
            String name = test.path("name").isTextual() && !test.get("name").asText().isBlank()
                    ? test.get("name").asText()
                    : request.get("method").asText().toUpperCase(Locale.ROOT) + " " + request.get("path").asText();
            cases.add(new TestCase(name, request, expected));
        }
        return List.copyOf(cases);
    }

    private static String quote(String body) {
        String cut = body.length() > 200 ? body.substring(0, 200) + "…" : body;
        return "\"" + cut + "\"";
    }
}
