package dev.tollgate.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream calls made on an event loop stay on connections that loop opened. */
class LoopLocalClientsTest {

    Vertx vertx;
    HttpServer server;
    LoopLocalClients clients;
    /** The client ports the server saw: one per connection. */
    final Set<Integer> connections = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        server = vertx.createHttpServer().requestHandler(request -> {
            connections.add(request.remoteAddress().port());
            request.response().end("ok");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        clients = new LoopLocalClients(vertx, new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(4));
    }

    @AfterEach
    void stop() {
        clients.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void each_event_loop_calls_over_its_own_connections_and_answers_arrive_on_it() throws Exception {
        // two contexts on the two event loops; one call at a time, alternating between them
        List<Context> loops = List.of(((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext(),
                ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Context loop = loops.get(i % 2);
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.runOnContext(ignored -> {
                Thread caller = Thread.currentThread();
                clients.current().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                        .compose(request -> request.send()).compose(response -> response.body())
                        .onComplete(answer -> {
                            if (Thread.currentThread() != caller) {
                                mismatches.add(caller.getName() + " -> " + Thread.currentThread().getName());
                            }
                            done.complete(null);
                        });
            });
            done.get(10, TimeUnit.SECONDS);
        }
        assertThat(mismatches).isEmpty();
        assertThat(clients.loops()).isEqualTo(2);
        // a client shared by the loops reuses the one idle keep-alive connection for every call: here each loop
        // keeps its own
        assertThat(connections).hasSize(2);
    }

    @Test
    void calls_off_the_event_loops_share_one_client() {
        assertThat(clients.current()).isSameAs(clients.current());
        assertThat(clients.loops()).isZero();
    }
}
