package dev.tollgate.hosted.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one host function a sandbox context gets (as a polyglot proxy, which needs no host access): the prelude's
 * {@code kv}, {@code fetch} and {@code console} call it with an operation name and string or number arguments, and it
 * answers JSON {@code {ok}} or {@code {error, type}}, so nothing of the host — no Java object, no exception — reaches
 * the code. A call may make a bounded number of {@code kv} operations and fetches. Between calls it serves no one: {@link #begin} attaches the call's {@link Bindings}, {@link #end} detaches
 * them. One per context; a context serves one call at a time.
 */
final class HostBridge implements ProxyExecutable {

    static final int KEY_CHARS = 256;
    static final int VALUE_BYTES = 64 * 1024;
    static final int LIST_LIMIT = 1000;
    static final int CONSOLE_LINES = 50;
    static final int CONSOLE_CHARS = 500;

    private static final Logger LOG = Logger.getLogger(HostBridge.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one call may reach, and what it has used. */
    static final class Call {
        final Bindings bindings;
        final Secrets secrets;
        final long deadlineNanos;
        final Duration fetchTimeout;
        final int fetchesAllowed;
        final int kvOperationsAllowed;
        int fetches;
        int kvOperations;
        int lines;

        Call(Bindings bindings, Secrets secrets, long deadlineNanos, Duration fetchTimeout, int fetchesAllowed,
                int kvOperationsAllowed) {
            this.bindings = bindings;
            this.secrets = secrets;
            this.deadlineNanos = deadlineNanos;
            this.fetchTimeout = fetchTimeout;
            this.fetchesAllowed = fetchesAllowed;
            this.kvOperationsAllowed = kvOperationsAllowed;
        }
    }

    /** An answer of the bridge that the code sees as a thrown error. */
    private static final class Refusal extends RuntimeException {
        final String type;

        Refusal(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }

    private volatile Call call;

    void begin(Call call) {
        this.call = call;
    }

    void end() {
        this.call = null;
    }

    @Override
    public Object execute(Value... arguments) {
        ObjectNode answer = JSON.createObjectNode();
        try {
            Call current = call;
            if (current == null) {
                throw new Refusal("Error", "env, kv and fetch are available only while a request is handled");
            }
            String op = arguments[0].asString();
            switch (op) {
                case "kv.get" -> answer.put("ok", kv(current).get(key(arguments[1])));
                case "kv.put" -> {
                    String key = key(arguments[1]);
                    String value = arguments[2].asString();
                    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
                    if (bytes > VALUE_BYTES) {
                        throw new Refusal("Error", "A kv value is at most " + VALUE_BYTES + " bytes (UTF-8); this one"
                                + " has " + bytes);
                    }
                    kv(current).put(key, value);
                    answer.putNull("ok");
                }
                case "kv.delete" -> answer.put("ok", kv(current).delete(key(arguments[1])));
                case "kv.list" -> {
                    String prefix = arguments[1].asString();
                    Value limit = arguments[2];
                    if (!limit.fitsInInt() || limit.asInt() < 1 || limit.asInt() > LIST_LIMIT) {
                        throw new Refusal("TypeError", "kv.list: the limit must be an integer from 1 to " + LIST_LIMIT);
                    }
                    var keys = answer.putArray("ok");
                    kv(current).list(prefix, limit.asInt()).forEach(keys::add);
                }
                case "fetch" -> answer.set("ok", fetch(current, arguments));
                case "console" -> console(current, arguments[1].asString(), arguments[2].asString());
                default -> throw new Refusal("Error", "Unknown operation");
            }
        } catch (Refusal e) {
            answer.removeAll();
            answer.put("error", e.getMessage()).put("type", e.type);
        } catch (KvStore.QuotaExceeded e) {
            answer.removeAll();
            answer.put("error", "kv: " + e.getMessage()).put("type", "Error");
        } catch (RuntimeException e) {
            // a failure of the store or the fetcher, not of the code: said once here, never with the code's data
            LOG.warnf("Hosted code's %s failed: %s", arguments.length > 0 ? arguments[0] : "?",
                    e.getClass().getName());
            answer.removeAll();
            answer.put("error", "The operation failed inside Tollgate").put("type", "Error");
        }
        try {
            return JSON.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The call's store, counting the operation against the call's bound (a loop of kv calls is a loop of queries). */
    private static KvStore kv(Call current) {
        if (current.bindings.kv() == null) {
            throw new Refusal("Error", "This API has no key/value store");
        }
        if (current.kvOperations >= current.kvOperationsAllowed) {
            throw new Refusal("Error", "kv: at most " + current.kvOperationsAllowed + " operations per call");
        }
        current.kvOperations++;
        return current.bindings.kv();
    }

    private static String key(Value value) {
        String key = value.asString();
        if (key.isEmpty() || key.length() > KEY_CHARS) {
            throw new Refusal("TypeError", "A kv key has 1 to " + KEY_CHARS + " characters; this one has "
                    + key.length());
        }
        return key;
    }

    private static ObjectNode fetch(Call current, Value[] arguments) {
        if (current.fetches >= current.fetchesAllowed) {
            throw new Refusal("TypeError", "fetch: at most " + current.fetchesAllowed + " requests per call");
        }
        current.fetches++;
        long left = current.deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new Refusal("TypeError", "fetch: the call has no time left");
        }
        Duration timeout = current.fetchTimeout.compareTo(Duration.ofNanos(left)) < 0
                ? current.fetchTimeout
                : Duration.ofNanos(left);
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            JSON.readTree(arguments[3].asString()).fields()
                    .forEachRemaining(field -> headers.put(field.getKey(), field.getValue().asText()));
        } catch (JsonProcessingException e) {
            throw new Refusal("TypeError", "fetch: bad headers");
        }
        String body = arguments[4].isNull() ? null : arguments[4].asString();
        Fetcher.FetchResponse response;
        try {
            response = current.bindings.fetcher().fetch(new Fetcher.FetchRequest(arguments[1].asString(),
                    arguments[2].asString(), Map.copyOf(headers), body, timeout));
        } catch (Sandbox.Failure e) {
            // the fetcher's words may carry the URL, which may carry a secret (an API key in the query)
            throw new Refusal("TypeError", "fetch failed: " + current.secrets.redact(String.valueOf(e.getMessage())));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("status", response.status());
        ObjectNode names = answer.putObject("headers");
        response.headers().forEach((name, value) -> names.put(name.toLowerCase(java.util.Locale.ROOT), value));
        answer.put("body", response.body() == null ? "" : response.body());
        return answer;
    }

    private static void console(Call current, String level, String line) {
        current.lines++;
        if (current.lines > CONSOLE_LINES + 1) {
            return;
        }
        String text = current.lines > CONSOLE_LINES
                ? "(more console lines were dropped: at most " + CONSOLE_LINES + " per call)"
                : current.secrets.redact(line.length() > CONSOLE_CHARS
                        ? line.substring(0, CONSOLE_CHARS) + "…"
                        : line);
        current.bindings.console().line(level, text);
    }
}
