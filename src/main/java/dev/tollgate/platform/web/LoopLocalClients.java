package dev.tollgate.platform.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * An HTTP client per event loop, for the data planes' upstream calls. Vert.x 4 pools one client's connections
 * across all event loops: a call on loop A may be given a connection that loop B opened, and then its request is
 * written on B and every event of the answer is handed back to A — two thread hops per call, each a wake-up of
 * another thread. With a client of its own per loop (each opening its connections on the loop that uses them) a call
 * stays on its loop from the consumer's request to the upstream's answer. Limits such as the pool size hold per event
 * loop. Calls made off the event loops (admin probes, tests) share one more client.
 */
public final class LoopLocalClients {

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final Map<Thread, HttpClient> byLoop = new ConcurrentHashMap<>();
    private final HttpClient offLoop;

    public LoopLocalClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
        this.vertx = vertx;
        this.options = options;
        this.pool = pool;
        this.offLoop = vertx.createHttpClient(options, pool);
    }

    /** The client of the calling event loop (created on its first call), else the shared one. */
    public HttpClient current() {
        if (!Context.isOnEventLoopThread()) {
            return offLoop;
        }
        HttpClient client = byLoop.get(Thread.currentThread());
        return client != null
                ? client
                : byLoop.computeIfAbsent(Thread.currentThread(), loop -> vertx.createHttpClient(options, pool));
    }

    /** The number of event loops that have a client of their own. */
    public int loops() {
        return byLoop.size();
    }

    public void close() {
        byLoop.values().forEach(HttpClient::close);
        byLoop.clear();
        offLoop.close();
    }
}
