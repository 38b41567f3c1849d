package dev.tollgate.hosted.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the generator model is told, and how its answers are read. The model answers with one {@code javascript} code
 * block (the module in the handler contract), one {@code json} block (an array of example requests with the expected
 * responses) and a short explanation outside the blocks; a repair request shows it what failed and asks for the same
 * three parts again.
 */
public final class GeneratorPrompts {

    private static final Pattern BLOCK = Pattern.compile("```([A-Za-z]*)[ \\t]*\\r?\\n(.*?)```", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A model's answer, read: the code, the tests (null when missing or unreadable) and the explanation. */
    public record Answer(String code, JsonNode tests, String explanation, String problem) {
    }

    public static final String SYSTEM = """
            You write HTTP APIs that run on Tollgate's hosted runtime: one JavaScript (ES2023) module, no imports, no \
            npm packages, no Node.js or browser APIs besides those listed here.

            The module must be exactly:
            export default { routes: { "GET /facts/{id}": (req) => ({ status: 200, json: { ... } }), ... } };

            Routes: "METHOD /path" keys, {name} matches one path segment. Handlers may be async.
            req: { method, path, params (path parameters), query (name -> first value), queryAll (name -> all values),
                   headers (lower-case names), body (text), json (the parsed JSON body, or null) }.
            Return: { status (default 200), headers (optional, string values), json | text }.
            Available: standard JavaScript (JSON, Math, Date, Intl, RegExp; no crypto, no timers), and
              await fetch(url, { method, headers, body }) for public HTTPS APIs (res.status, res.ok, await res.json(),
                await res.text(), res.headers.get(name)); body must be a string (JSON.stringify objects);
              env.NAME for the API's secrets (configured by its owner);
              kv.get(key) (string or null), kv.put(key, stringValue), kv.delete(key), kv.list(prefix, limit),
                kv.getJson(key), kv.putJson(key, value): a small per-API key/value store, synchronous.
            No file system, processes, timers, threads, imports or Java. Each call has a time and memory limit.
            Validate input and answer 400 with { error: "..." } for bad requests and 404 for unknown items.

            Answer with exactly three parts:
            1. A ```javascript code block with the whole module.
            2. A ```json code block with an array of 3 to 8 example requests that exercise the API, each
               { "name": "...", "request": { "method": "GET", "path": "/facts/1", "query": {}, "json": null },
                 "expected": { "status": 200, "json": { ... } } }.
               "expected.json" is matched as a subset of the actual JSON body: include only fields whose values are
               certain (no random values, timestamps or ids you cannot predict). The examples run in a fresh
               sandbox with an empty key/value store and no secrets, so avoid fetch in them.
            3. Two or three sentences explaining what the API does, outside the code blocks.
            """;

    private GeneratorPrompts() {
    }

    /** The user's description, as the first request. */
    public static String request(String prompt) {
        return "Write this API:\n\n" + prompt.trim();
    }

    /** A request to fix the last answer, given why it failed. */
    public static String repair(String loadError, List<JsonNode> failures) {
        StringBuilder text = new StringBuilder("Your code did not pass. Fix it and answer again with the same three "
                + "parts (the whole module, the examples, the explanation).\n\n");
        if (loadError != null) {
            text.append("The module does not load: ").append(loadError).append('\n');
        }
        for (JsonNode failure : failures) {
            text.append("- Example \"").append(failure.path("name").asText()).append("\": request ")
                    .append(failure.path("request")).append(", expected ").append(failure.path("expected"))
                    .append(", got status ").append(failure.path("actual_status").asInt()).append(" body ")
                    .append(cut(failure.path("actual_body").asText(""), 500));
            if (failure.hasNonNull("error")) {
                text.append(" (error: ").append(cut(failure.path("error").asText(), 500)).append(')');
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** A request for a model answer that did not have the expected parts. */
    public static String reformat(String problem) {
        return "Your answer could not be used: " + problem + ". Answer with a ```javascript block holding the "
                + "whole module, a ```json block holding the array of examples, and a short explanation.";
    }

    public static Answer read(String answer) {
        String code = null;
        JsonNode tests = null;
        String testsProblem = null;
        List<String> unlabelled = new ArrayList<>();
        Matcher blocks = BLOCK.matcher(answer);
        StringBuilder outside = new StringBuilder();
        int last = 0;
        while (blocks.find()) {
            outside.append(answer, last, blocks.start());
            last = blocks.end();
            String language = blocks.group(1).toLowerCase(java.util.Locale.ROOT);
            String body = blocks.group(2).strip();
            if (code == null && (language.equals("javascript") || language.equals("js") || language.equals("mjs")
                    || language.equals("typescript") || language.equals("ts"))) {
                code = body;
            } else if (tests == null && language.equals("json")) {
                try {
                    tests = JSON.readTree(body);
                    if (!tests.isArray()) {
                        testsProblem = "the json block is not an array";
                        tests = null;
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    testsProblem = "the json block does not parse: " + cut(e.getOriginalMessage(), 200);
                }
            } else if (language.isEmpty()) {
                unlabelled.add(body);
            }
        }
        outside.append(answer.substring(last));
        if (code == null) {
            code = unlabelled.stream().filter(b -> b.contains("export default")).findFirst().orElse(null);
        }
        if (code == null && answer.contains("export default") && !answer.contains("```")) {
            code = answer.strip();
        }
        String problem = code == null
                ? "there is no ```javascript block with the module"
                : tests == null
                        ? (testsProblem == null ? "there is no ```json block with the examples" : testsProblem)
                        : null;
        return new Answer(code, tests, cut(outside.toString().strip(), 2_000), problem);
    }

    private static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
