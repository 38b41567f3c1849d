package dev.tollgate.hosted.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs hosted APIs' JavaScript (ES2023 modules, GraalJS) with nothing of the host: no Java classes, no files, no
 * processes, no threads, no environment, no other languages, and none of GraalJS's shell globals ({@code load},
 * {@code print}, {@code Graal}, {@code Polyglot}, {@code java}, {@code performance}). What the code may reach is what a
 * call's {@link Bindings} give it, through the globals {@code env}, {@code kv}, {@code fetch} and {@code console} (see
 * {@link Program#handle}). One engine is shared (its parsed code is reused); each program keeps a pool of contexts that
 * have evaluated its module, so a call does not pay the ~5 ms of a new context.
 * <p>
 * Every call, and the evaluation of a module's top-level code when a context is made, has a deadline and an
 * allocation budget, watched from another thread: one over either is cancelled (its context closed and thrown away),
 * and a statement limit stops runaway loops even between two watches. GraalJS community has no heap limit of its own,
 * hence the budget of bytes the calling thread may allocate; it counts garbage too, so it is a backstop, and memory
 * that code keeps is bounded three ways: by the heap guard (when the heap is nearly full the call that allocated most
 * is stopped), by the bytes a pooled context may allocate over all its calls (past {@link Limits#contextAllocationBytes}
 * it is closed rather than pooled again, so what calls keep in {@code globalThis} does not grow without end) and by
 * the bound on a response body ({@link #MAX_RESPONSE_BYTES}). Time spent in {@code fetch} counts against the deadline
 * (a fetch never waits longer than the call has left).
 */
public final class Sandbox implements AutoCloseable {

    /**
     * The bounds of every call: its deadline, the bytes its thread may allocate, the statements it may run, the
     * contexts pooled per program, the time one {@code fetch} may take and the fetches per call; the deadline of a
     * module's top-level code ({@code loadTimeout}, which shares {@code allocationBytes} and {@code statements} with
     * calls), the bytes a pooled context may allocate over all its calls before it is closed instead of reused, and
     * the {@code kv} operations per call.
     */
    public record Limits(Duration timeout, long allocationBytes, long statements, int contextsPerProgram,
            Duration fetchTimeout, int fetchesPerCall, Duration loadTimeout, long contextAllocationBytes,
            int kvOperationsPerCall) {

        /** The default bytes a pooled context may allocate over its calls: 256 MB. */
        public static final long CONTEXT_ALLOCATION_BYTES = 256L * 1024 * 1024;
        /** The default {@code kv} operations per call. */
        public static final int KV_OPERATIONS_PER_CALL = 1000;
        /** The longest default load deadline: 5 s (or the call deadline when that is shorter). */
        public static final Duration LOAD_TIMEOUT = Duration.ofSeconds(5);

        /** Limits with the default fetch bounds: 10 s per fetch, 20 fetches per call (and the defaults below). */
        public Limits(Duration timeout, long allocationBytes, long statements, int contextsPerProgram) {
            this(timeout, allocationBytes, statements, contextsPerProgram, Duration.ofSeconds(10), 20);
        }

        /**
         * Limits with the default load deadline ({@code min(timeout, 5 s)}), 256 MB per pooled context and 1,000
         * {@code kv} operations per call.
         */
        public Limits(Duration timeout, long allocationBytes, long statements, int contextsPerProgram,
                Duration fetchTimeout, int fetchesPerCall) {
            this(timeout, allocationBytes, statements, contextsPerProgram, fetchTimeout, fetchesPerCall,
                    timeout.compareTo(LOAD_TIMEOUT) < 0 ? timeout : LOAD_TIMEOUT, CONTEXT_ALLOCATION_BYTES,
                    KV_OPERATIONS_PER_CALL);
        }
    }

    /**
     * The largest response body a handler may give: 10 MB (of UTF-8 for {@code json}/{@code text}/a string
     * {@code body}, of bytes for a buffer). The prelude checks it before the body is copied out of the context.
     */
    public static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

    /** Why a program or call failed, as the gateway reports it. */
    public static final class Failure extends RuntimeException {
        /** {@code invalid} (the code), {@code timeout}, {@code memory}, {@code error} (the code threw). */
        private final String kind;

        public Failure(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }
    }

    /**
     * A context of a program with what the host needs of it, the secrets it last served and the bytes its calls have
     * allocated so far.
     */
    private record Pooled(Context context, HostBridge bridge, Value routes, Value run, Value end,
            Map<String, String> servedEnv, long allocatedBytes) {

        Pooled serving(Map<String, String> env, long callBytes) {
            return new Pooled(context, bridge, routes, run, end, env, allocatedBytes + callBytes);
        }
    }

    /** A loaded module: its routes and its pool of ready contexts. Thread-safe. */
    public final class Program {
        private final Source source;
        private final RouteTable table;
        private final List<String> routes;
        private final BlockingQueue<Pooled> idle;
        /** Set by {@link #discard}: contexts in use now are closed when their call ends, never pooled again. */
        private volatile boolean retired;

        private Program(Source source, RouteTable table, List<String> routes) {
            this.source = source;
            this.table = table;
            this.routes = routes;
            this.idle = new ArrayBlockingQueue<>(limits.contextsPerProgram());
        }

        /** The routes the module exports, e.g. {@code GET /facts/{id}}, in the module's order. */
        public List<String> routes() {
            return routes;
        }

        /**
         * Answers a request with the handler of the route it matches (see {@link RouteTable} for the matching): no
         * route is a JSON 404 {@code {"error": "No route GET /x", "routes": […]}}, a path whose routes are all of other
         * methods a JSON 405 with {@code Allow}; neither runs any code.
         * <p>
         * The handler gets {@code req = {method, path, params, query, queryAll, headers, body, json}}: {@code query}
         * maps a name to its first value and {@code queryAll} to all of them, header names are lower case,
         * {@code body} is the body as UTF-8 text ({@code ""} when none) and {@code json} the body parsed when it is
         * JSON, else {@code null}. It returns (or resolves to, when it is {@code async}) {@code {status?, headers?,
         * json? | text? | body?}}: status defaults to 200; {@code json} is sent as {@code application/json},
         * {@code text} as {@code text/plain; charset=utf-8} unless the handler set a content type; {@code body} is a
         * string, an {@code ArrayBuffer} or a {@code Uint8Array}; none of them is an empty body.
         * <p>
         * During the call the code sees {@code env}, a frozen object of the bindings' secrets, {@code kv},
         * {@code fetch} and {@code console} (see {@link HostBridge}); after it, none of them serves anyone. A pooled
         * context that last served other secrets is closed rather than reused, so what one call's code kept in its
         * globals never reaches a call with other secrets. Secrets (of 4 characters or more) are replaced by
         * {@code [env.NAME]} in failure messages and console lines. A pooled context whose calls have allocated more
         * than {@link Limits#contextAllocationBytes} in all is closed after its call rather than pooled again.
         *
         * @throws Failure {@code timeout} or {@code memory} when the call was cancelled, {@code error} when the code
         *         threw or its promise rejected (with the error's message) or never settled, {@code invalid} when the
         *         result is not a response or its body is over {@link #MAX_RESPONSE_BYTES}; the context of a failed call is never used again.
         */
        public HostedResponse handle(HostedRequest request, Bindings bindings) {
            return handle(request, bindings, limits.timeout());
        }

        /** {@link #handle(HostedRequest, Bindings)} with the call's own deadline (an API's {@code timeout_ms}). */
        public HostedResponse handle(HostedRequest request, Bindings bindings, Duration timeout) {
            String method = request.method().toUpperCase(java.util.Locale.ROOT);
            RouteTable.Match match = table.match(method, request.path());
            if (match.route() == null) {
                return match.allowed().isEmpty()
                        ? notFound(method, request.path())
                        : notAllowed(method, request,
                                match);
            }
            Secrets secrets = new Secrets(bindings.env());
            Pooled pooled = take(bindings.env());
            Context context = pooled.context();
            boolean healthy = false;
            long threadId = Thread.currentThread().getId();
            long started = System.nanoTime();
            Running running = new Running(context, threadId, allocated(threadId), started, timeout.toNanos());
            pooled.bridge().begin(new HostBridge.Call(bindings, secrets, started + timeout.toNanos(),
                    limits.fetchTimeout(), limits.fetchesPerCall(), limits.kvOperationsPerCall()));
            calls.put(running, Boolean.TRUE);
            try {
                Value out = pooled.run().execute(pooled.routes().getMember(match.route().key()),
                        requestJson(request, method, match.params()), json(bindings.env()));
                HostedResponse response = response(out, secrets);
                pooled.end().execute();
                healthy = true;
                return response;
            } catch (PolyglotException e) {
                throw failure(running, e, secrets);
            } finally {
                calls.remove(running);
                // only one of this and the watchdog wins: a context the watchdog closed is never pooled
                boolean finished = running.finish();
                long callBytes = allocated(threadId) - running.allocatedAtStart;
                pooled.bridge().end();
                Pooled after = pooled.serving(bindings.env(), callBytes);
                if (!healthy || !finished || retired || after.allocatedBytes() > limits.contextAllocationBytes()
                        || !idle.offer(after)) {
                    closeQuietly(context);
                } else if (retired) {
                    // discard() ran between the check and the offer
                    drain();
                }
            }
        }

        /**
         * Closes the pooled contexts (a new version replaces this one); contexts serving a call now are closed when
         * it ends.
         */
        public void discard() {
            retired = true;
            drain();
        }

        private void drain() {
            for (Pooled pooled; (pooled = idle.poll()) != null;) {
                closeQuietly(pooled.context());
            }
        }

        /**
         * An idle context that served the same secrets or none and whose statement count could be reset, else a new
         * one.
         */
        private Pooled take(Map<String, String> env) {
            for (Pooled pooled; (pooled = idle.poll()) != null;) {
                if (pooled.servedEnv() == null || pooled.servedEnv().equals(env)) {
                    try {
                        // each call counts its own statements
                        pooled.context().resetLimits();
                        return pooled;
                    } catch (IllegalStateException | PolyglotException e) {
                        // closed under us (a cancel that raced its call's end): not healthy, take another
                    }
                }
                closeQuietly(pooled.context());
            }
            return loaded(source);
        }

        private HostedResponse notFound(String method, String path) {
            ObjectNode body = JSON.createObjectNode().put("error", "No route " + method + " " + path);
            routes.forEach(body.putArray("routes")::add);
            return jsonResponse(404, body, Map.of());
        }

        private HostedResponse notAllowed(String method, HostedRequest request, RouteTable.Match match) {
            ObjectNode body = JSON.createObjectNode().put("error", "Method " + method + " is not allowed for "
                    + request.path());
            match.allowed().forEach(body.putArray("allow")::add);
            return jsonResponse(405, body, Map.of("allow", String.join(", ", match.allowed())));
        }
    }

    /**
     * A call (or a module's load) in progress, for the watchdog. Its state moves once, from running to finished (by
     * its thread) or to cancelled as {@code timeout} or {@code memory} (by the watchdog): whichever wins owns the
     * context's fate, so a context is never both closed by the watchdog and pooled by its thread.
     */
    private static final class Running {
        private static final String RUNNING = "running";
        private static final String FINISHED = "finished";

        final Context context;
        final long threadId;
        final long allocatedAtStart;
        final long startedNanos;
        final long timeoutNanos;
        private final AtomicReference<String> state = new AtomicReference<>(RUNNING);

        Running(Context context, long threadId, long allocatedAtStart, long startedNanos, long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
            this.context = context;
            this.threadId = threadId;
            this.allocatedAtStart = allocatedAtStart;
            this.startedNanos = startedNanos;
        }

        /** Whether the call ended on its own (the watchdog had not cancelled it). */
        boolean finish() {
            return state.compareAndSet(RUNNING, FINISHED);
        }

        /** Whether the watchdog won the right to close the context. */
        boolean cancel(String why) {
            return state.compareAndSet(RUNNING, why);
        }

        boolean running() {
            return state.get() == RUNNING;
        }

        /** {@code timeout} or {@code memory} when cancelled, else {@code null}. */
        String cancelled() {
            String now = state.get();
            return now == RUNNING || now == FINISHED ? null : now;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.lang.management.MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    /** Heap use (of its maximum) beyond which the largest allocating call is stopped. */
    static final double HEAP_GUARD_RATIO = 0.85;
    private final double heapGuardRatio;
    /** A call that allocated less than this is never blamed for the heap's pressure. */
    static final long HEAP_GUARD_MIN_BYTES = 32L * 1024 * 1024;
    private static final Source PRELUDE = prelude();
    /** Options that remove GraalJS globals a server has no use for (all verified against 25.0.5). */
    private static final Map<String, String> OPTIONS = Map.of("js.esm-eval-returns-exports", "true", "js.load",
            "false", "js.print", "false", "js.graal-builtin", "false", "js.console", "false", "js.polyglot-builtin",
            "false", "js.java-package-globals", "false", "js.performance", "false");

    private final Limits limits;
    private final Engine engine;
    private final Map<Running, Boolean> calls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-sandbox-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    public Sandbox(Limits limits) {
        this(limits, HEAP_GUARD_RATIO);
    }

    /** With another heap guard threshold (tests). */
    Sandbox(Limits limits, double heapGuardRatio) {
        this.heapGuardRatio = heapGuardRatio;
        this.limits = limits;
        // nothing the code does may reach the server's own output
        this.engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).build();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        watchdog.scheduleWithFixedDelay(this::watch, 10, 10, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads a module: it must evaluate and export {@code default.routes}, an object of functions keyed
     * {@code "METHOD /path"}; {@link Failure} {@code invalid} says what is wrong, {@code timeout} or {@code memory}
     * that its top-level code ran past {@link Limits#loadTimeout} or {@link Limits#allocationBytes} (the same bounds
     * hold whenever a new context of the program evaluates the module).
     */
    public Program load(String code) {
        Source source;
        try {
            source = Source.newBuilder("js", code, "api.mjs").build();
        } catch (IOException e) {
            throw new Failure("invalid", e.getMessage());
        }
        Pooled pooled = loaded(source);
        try {
            List<String> names = List.copyOf(new ArrayList<>(pooled.routes().getMemberKeys()));
            Program program = new Program(source, RouteTable.of(names), names);
            program.idle.offer(pooled);
            return program;
        } catch (RuntimeException e) {
            closeQuietly(pooled.context());
            throw e;
        }
    }

    /**
     * A new context that has evaluated the prelude and the module, under the load deadline, the allocation budget and
     * the statement limit.
     */
    private Pooled loaded(Source source) {
        Context.Builder builder = Context.newBuilder("js").engine(engine).allowHostAccess(HostAccess.NONE)
                .allowIO(IOAccess.NONE).allowCreateProcess(false).allowCreateThread(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE).allowPolyglotAccess(PolyglotAccess.NONE)
                .allowNativeAccess(false).allowExperimentalOptions(true)
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build());
        OPTIONS.forEach(builder::option);
        Context context = builder.build();
        long threadId = Thread.currentThread().getId();
        Running running = null;
        try {
            HostBridge bridge = new HostBridge();
            Value entry = context.eval(PRELUDE).execute(bridge, MAX_RESPONSE_BYTES);
            // watched from here: the module's own code, not the context's set-up (the first one in a JVM initialises
            // GraalJS, which takes seconds and allocates more than a call's budget)
            running = new Running(context, threadId, allocated(threadId), System.nanoTime(),
                    limits.loadTimeout().toNanos());
            calls.put(running, Boolean.TRUE);
            Value exports = context.eval(source);
            Value routes = exports.getMember("default") == null
                    ? null
                    : exports.getMember("default").getMember("routes");
            if (routes == null || !routes.hasMembers() || routes.getMemberKeys().isEmpty()) {
                throw new Failure("invalid", "The module must export default { routes: { \"GET /path\": (req) => "
                        + "({status: 200, json: {…}}) } }");
            }
            for (String route : routes.getMemberKeys()) {
                if (!routes.getMember(route).canExecute()) {
                    throw new Failure("invalid", "Route \"" + route + "\" is not a function");
                }
            }
            calls.remove(running);
            if (!running.finish()) {
                throw loadCancelled(running);
            }
            // each call counts its own statements
            context.resetLimits();
            return new Pooled(context, bridge, routes, entry.getMember("run"), entry.getMember("end"), null, 0);
        } catch (PolyglotException e) {
            stopWatching(running);
            closeQuietly(context);
            if (running != null && running.cancelled() != null) {
                throw loadCancelled(running);
            }
            if (e.isResourceExhausted() || e.isCancelled()) {
                throw new Failure("timeout", "The module did not load within " + limits.statements()
                        + " statements");
            }
            throw new Failure("invalid", "The code does not load: " + e.getMessage());
        } catch (RuntimeException e) {
            stopWatching(running);
            closeQuietly(context);
            throw e;
        }
    }

    private void stopWatching(Running running) {
        if (running != null) {
            calls.remove(running);
            running.finish();
        }
    }

    private Failure loadCancelled(Running running) {
        return "timeout".equals(running.cancelled())
                ? new Failure("timeout", "The module did not load within " + running.timeoutNanos / 1_000_000
                        + " ms")
                : new Failure("memory", "The module used too much memory while loading (it allocated more than "
                        + limits.allocationBytes() / (1024 * 1024) + " MB, or held the most while the server's"
                        + " memory ran short)");
    }

    private static void closeQuietly(Context context) {
        try {
            context.close(true);
        } catch (RuntimeException e) {
            // closed by the watchdog already
        }
    }

    /** The settled result of the prelude's {@code run}, as a response. */
    private static HostedResponse response(Value out, Secrets secrets) {
        String state = out.getMember("state").asString();
        if ("pending".equals(state)) {
            throw new Failure("error", "The handler's promise never settled (hosted code has no timers or events to"
                    + " wait for)");
        }
        if ("rejected".equals(state)) {
            throw new Failure("error", "The handler failed: " + secrets.redact(out.getMember("error").asString()));
        }
        Value value = out.getMember("value");
        if (value.hasMember("invalid")) {
            throw new Failure("invalid", secrets.redact(value.getMember("invalid").asString()));
        }
        Map<String, String> headers;
        try {
            headers = JSON.readValue(value.getMember("headers").asString(),
                    new TypeReference<LinkedHashMap<String, String>>() {
                    });
        } catch (JsonProcessingException e) {
            throw new Failure("invalid", "headers must be an object of strings");
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!header.getKey().matches("[!#$%&'*+.^_`|~0-9a-z-]+") || header.getValue().indexOf('\r') >= 0
                    || header.getValue().indexOf('\n') >= 0) {
                throw new Failure("invalid", "The header \"" + header.getKey() + "\" is not a valid HTTP header");
            }
        }
        byte[] body;
        if (!value.getMember("text").isNull()) {
            body = value.getMember("text").asString().getBytes(StandardCharsets.UTF_8);
        } else if (!value.getMember("bytes").isNull()) {
            Value bytes = value.getMember("bytes");
            body = new byte[Math.toIntExact(bytes.getBufferSize())];
            bytes.readBuffer(0, body, 0, body.length);
        } else {
            body = new byte[0];
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            // text under the bound in UTF-16 units but over it in UTF-8; the prelude refused everything else
            throw new Failure("invalid", "The response body is over 10 MB");
        }
        return new HostedResponse(value.getMember("status").asInt(), Map.copyOf(headers), body);
    }

    private static String requestJson(HostedRequest request, String method, Map<String, String> params) {
        ObjectNode req = JSON.createObjectNode().put("method", method).put("path", request.path());
        params.forEach(req.putObject("params")::put);
        ObjectNode query = req.putObject("query");
        ObjectNode queryAll = req.putObject("queryAll");
        if (request.query() != null) {
            request.query().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    query.put(name, values.get(0));
                }
                values.forEach(queryAll.putArray(name)::add);
            });
        }
        ObjectNode headers = req.putObject("headers");
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), value));
        }
        req.put("body", request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8));
        return json(req);
    }

    private static HostedResponse jsonResponse(int status, ObjectNode body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("content-type", "application/json");
        return new HostedResponse(status, Map.copyOf(headers), json(body).getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Failure failure(Running running, PolyglotException e, Secrets secrets) {
        String cancelled = running.cancelled();
        if (cancelled != null) {
            return new Failure(cancelled, "timeout".equals(cancelled)
                    ? "The handler did not finish within " + running.timeoutNanos / 1_000_000 + " ms"
                    : "The handler used too much memory (it allocated more than "
                            + limits.allocationBytes() / (1024 * 1024) + " MB, or held the most while the server's"
                            + " memory ran short)");
        }
        if (e.isResourceExhausted()) {
            return new Failure("timeout", "The handler ran more than " + limits.statements() + " statements");
        }
        return new Failure("error", "The handler failed: " + secrets.redact(String.valueOf(e.getMessage())));
    }

    /** Cancels calls past their deadline or allocation budget. */
    private void watch() {
        long now = System.nanoTime();
        Running largest = null;
        long largestBytes = 0;
        for (Running running : calls.keySet()) {
            if (!running.running()) {
                continue;
            }
            long bytes = allocated(running.threadId) - running.allocatedAtStart;
            if (now - running.startedNanos > running.timeoutNanos) {
                cancel(running, "timeout");
            } else if (bytes > limits.allocationBytes()) {
                cancel(running, "memory");
            } else if (bytes > largestBytes) {
                largest = running;
                largestBytes = bytes;
            }
        }
        if (largest != null && largestBytes > HEAP_GUARD_MIN_BYTES && heapUnderPressure(heapGuardRatio)) {
            // the heap is nearly full: the call that allocated most is the likeliest to hold it
            cancel(largest, "memory");
        }
    }

    /** Closes the context of a call still running; one that has just finished is left to its thread. */
    private static void cancel(Running running, String why) {
        if (running.cancel(why)) {
            closeQuietly(running.context);
        }
    }

    /**
     * Whether the JVM's heap is over {@code ratio} of its maximum. The allocation budget counts garbage
     * too, so it is set high (a backstop against code that runs long while allocating); memory that calls keep is
     * bounded by this guard: a heap that stays this full after the collector's work means live data, and the call
     * that allocated most is stopped before the server runs out.
     */
    private static boolean heapUnderPressure(double ratio) {
        java.lang.management.MemoryUsage heap = MEMORY.getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        return heap.getUsed() > ratio * max;
    }

    private static long allocated(long threadId) {
        return THREADS.getThreadAllocatedBytes(threadId);
    }

    private static Source prelude() {
        try (InputStream in = Sandbox.class.getResourceAsStream("/hosted/prelude.js")) {
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "prelude.js")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        engine.close(true);
    }
}
