package dev.tollgate.hosted.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

/**
 * Runs hosted APIs' JavaScript (ES2023 modules, GraalJS) with nothing of the host: no Java classes, no files, no
 * processes, no threads, no environment, no other languages. One engine is shared (its parsed code is reused); each
 * program keeps a pool of contexts that have evaluated its module, so a call does not pay the ~5 ms of a new context.
 * <p>
 * Every call has a deadline and an allocation budget, watched from another thread: a call over either is cancelled
 * (its context closed and thrown away), and a statement limit stops runaway loops even between two watches. GraalJS
 * community has no heap limit of its own, hence the budget of bytes the calling thread may allocate.
 */
public final class Sandbox implements AutoCloseable {

    /** The bounds of every call. */
    public record Limits(Duration timeout, long allocationBytes, long statements, int contextsPerProgram) {
    }

    /** A call's request as the handler sees it: {@code JSON} of {method, path, params, query, headers, body, json}. */
    public record Call(String route, String requestJson) {
    }

    /** Why a program or call failed, as the gateway reports it. */
    public static final class Failure extends RuntimeException {
        /** {@code invalid} (the code), {@code timeout}, {@code memory}, {@code error} (the code threw). */
        private final String kind;

        Failure(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }
    }

    /** A loaded module: its routes and its pool of ready contexts. */
    public final class Program {
        private final Source source;
        private final List<String> routes;
        private final BlockingQueue<Context> idle;

        private Program(Source source, List<String> routes) {
            this.source = source;
            this.routes = routes;
            this.idle = new ArrayBlockingQueue<>(limits.contextsPerProgram());
        }

        /** The routes the module exports, e.g. {@code GET /facts/{id}}. */
        public List<String> routes() {
            return routes;
        }

        /** Runs the route's handler; its result as JSON ({@code {status, headers, json | text}}). */
        public String call(Call call) {
            Context context = idle.poll();
            if (context == null) {
                context = loaded(source);
            }
            context.resetLimits();
            boolean healthy = false;
            Thread thread = Thread.currentThread();
            Running running = new Running(context, thread.getId(), allocated(thread.getId()), System.nanoTime());
            calls.put(running, Boolean.TRUE);
            try {
                Value handler = context.getBindings("js").getMember("__tollgate_routes").getMember(call.route());
                if (handler == null || !handler.canExecute()) {
                    throw new Failure("invalid", "No handler for " + call.route());
                }
                Value json = context.getBindings("js").getMember("JSON");
                Value result = handler.execute(json.getMember("parse").execute(call.requestJson()));
                String answer = json.getMember("stringify").execute(result).asString();
                healthy = true;
                return answer;
            } catch (PolyglotException e) {
                throw failure(running, e);
            } finally {
                calls.remove(running);
                if (!healthy || running.cancelled != null || !idle.offer(context)) {
                    context.close(true);
                }
            }
        }

        /** Closes the pooled contexts (a new version replaces this one). */
        public void discard() {
            for (Context context; (context = idle.poll()) != null;) {
                context.close(true);
            }
        }
    }

    /** A call in progress, for the watchdog. */
    private static final class Running {
        final Context context;
        final long threadId;
        final long allocatedAtStart;
        final long startedNanos;
        volatile String cancelled;

        Running(Context context, long threadId, long allocatedAtStart, long startedNanos) {
            this.context = context;
            this.threadId = threadId;
            this.allocatedAtStart = allocatedAtStart;
            this.startedNanos = startedNanos;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();

    private final Limits limits;
    private final Engine engine;
    private final Map<Running, Boolean> calls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-sandbox-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    public Sandbox(Limits limits) {
        this.limits = limits;
        this.engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        watchdog.scheduleWithFixedDelay(this::watch, 10, 10, TimeUnit.MILLISECONDS);
    }

    /** Loads a module: it must evaluate and export {@code default.routes}, an object of functions. */
    public Program load(String code) {
        Source source;
        try {
            source = Source.newBuilder("js", code, "api.mjs").build();
        } catch (java.io.IOException e) {
            throw new Failure("invalid", e.getMessage());
        }
        Context context = loaded(source);
        try {
            Value routes = context.getBindings("js").getMember("__tollgate_routes");
            List<String> names = new ArrayList<>(routes.getMemberKeys());
            Program program = new Program(source, List.copyOf(names));
            program.idle.offer(context);
            return program;
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** A new context that has evaluated the module and keeps its routes in a global. */
    private Context loaded(Source source) {
        Context context = Context.newBuilder("js").engine(engine).allowHostAccess(HostAccess.NONE)
                .allowIO(IOAccess.NONE).allowCreateProcess(false)
                .allowCreateThread(false).allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE).allowNativeAccess(false)
                .option("js.esm-eval-returns-exports", "true")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build())
                .build();
        try {
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
            context.getBindings("js").putMember("__tollgate_routes", routes);
            // each call counts its own statements
            context.resetLimits();
            return context;
        } catch (PolyglotException e) {
            context.close(true);
            throw new Failure("invalid", "The code does not load: " + e.getMessage());
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    private Failure failure(Running running, PolyglotException e) {
        if (running.cancelled != null) {
            return new Failure(running.cancelled, "timeout".equals(running.cancelled)
                    ? "The handler did not finish within " + limits.timeout().toMillis() + " ms"
                    : "The handler allocated more than " + limits.allocationBytes() / (1024 * 1024) + " MB");
        }
        if (e.isResourceExhausted()) {
            return new Failure("timeout", "The handler ran more than " + limits.statements() + " statements");
        }
        return new Failure("error", "The handler failed: " + e.getMessage());
    }

    /** Cancels calls past their deadline or allocation budget. */
    private void watch() {
        long now = System.nanoTime();
        for (Running running : calls.keySet()) {
            if (running.cancelled != null) {
                continue;
            }
            if (now - running.startedNanos > limits.timeout().toNanos()) {
                running.cancelled = "timeout";
            } else if (allocated(running.threadId) - running.allocatedAtStart > limits.allocationBytes()) {
                running.cancelled = "memory";
            } else {
                continue;
            }
            try {
                running.context.close(true);
            } catch (RuntimeException e) {
                // the context is being closed by its caller already
            }
        }
    }

    private static long allocated(long threadId) {
        return THREADS.getThreadAllocatedBytes(threadId);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        engine.close(true);
    }
}
