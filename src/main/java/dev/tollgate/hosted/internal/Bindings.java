package dev.tollgate.hosted.internal;

import java.util.Map;

/**
 * What one call of a hosted API may reach besides its request: its secrets ({@code env}), its key/value store
 * ({@code kv}), outbound HTTP ({@code fetch}) and where its {@code console} lines go. Given per call, because one pooled
 * context serves many calls: the sandbox installs these before the handler runs and removes them after, and a context
 * that last served other secrets is replaced rather than reused (see {@link Sandbox.Program#handle}).
 */
public record Bindings(Map<String, String> env, KvStore kv, Fetcher fetcher, Console console) {

    /** No secrets, no store, no outbound requests, console discarded. */
    public static final Bindings NONE = new Bindings(Map.of(), null, Fetcher.NONE, Console.DISCARD);

    /** Bindings whose console lines are discarded. */
    public Bindings(Map<String, String> env, KvStore kv, Fetcher fetcher) {
        this(env, kv, fetcher, Console.DISCARD);
    }

    public Bindings {
        env = env == null ? Map.of() : Map.copyOf(env);
        fetcher = fetcher == null ? Fetcher.NONE : fetcher;
        console = console == null ? Console.DISCARD : console;
    }

    /**
     * Receives the code's {@code console.log/info/warn/error/debug} lines on the calling thread, already bounded by
     * the sandbox (at most 50 lines of at most 500 characters per call, then one line saying more were dropped) and
     * with the call's secrets replaced by {@code [env.NAME]}. The lines are the code's own output, so they belong to
     * the API's owner only.
     */
    @FunctionalInterface
    public interface Console {
        Console DISCARD = (level, line) -> {
        };

        /** {@code level}: {@code log}, {@code info}, {@code warn}, {@code error} or {@code debug}. */
        void line(String level, String line);
    }
}
