package dev.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server playing a webhook receiver: records every request it gets and answers with the statuses it was
 * told to, in order, then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request received. */
    public record Received(String path, Map<String, List<String>> headers, String body, int answered) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private volatile int otherwise = 200;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Integer next = answers.poll();
            int status = next == null ? otherwise : next;
            byte[] answer = ("{\"received\":" + (status / 100 == 2) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
            received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    body, status));
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests are answered with these statuses, in order. */
    public WebhookReceiver answerNext(Integer... statuses) {
        answers.addAll(List.of(statuses));
        return this;
    }

    /** Every request after those told with {@link #answerNext} is answered with this status. */
    public WebhookReceiver answerOtherwise(int status) {
        otherwise = status;
        return this;
    }

    /** The next request received, waiting at most the timeout; null if none came. */
    public Received next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The requests received within the timeout until {@code count} came. */
    public List<Received> next(int count, Duration timeout) throws InterruptedException {
        List<Received> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (all.size() < count) {
            Received one = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (one == null) {
                break;
            }
            all.add(one);
        }
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
