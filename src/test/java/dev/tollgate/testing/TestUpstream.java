package dev.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP upstream on 127.0.0.1 for gateway tests (the JDK's server), plus a port that accepts connections and
 * closes them at once (a reset upstream) and a port nobody listens on (a refused one).
 * <ul>
 * <li>{@code /echo/...}: JSON of method, path, query, headers, body size and SHA-256;</li>
 * <li>{@code /bytes?n=N}: N bytes of a fixed pattern, streamed in chunks;</li>
 * <li>{@code /drip?id=X}: one chunk, then waits for {@link #releaseDrip(String)} of X (up to 10 s), then a second
 * chunk;</li>
 * <li>{@code /slow?ms=N}: answers after N ms;</li>
 * <li>{@code /status/N}: answers with status N.</li>
 * </ul>
 */
public final class TestUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the upstream saw it. */
    public record Seen(String method, String path, String query, Map<String, List<String>> headers) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final ServerSocket resetting;
    private final int refusedPort;
    private final AtomicInteger hits = new AtomicInteger();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Map<String, CountDownLatch> drips = new java.util.concurrent.ConcurrentHashMap<>();

    public TestUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        resetting = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread closer = new Thread(() -> {
            while (!resetting.isClosed()) {
                try (Socket socket = resetting.accept()) {
                    socket.setSoLinger(true, 0);
                } catch (IOException e) {
                    return;
                }
            }
        }, "upstream-resetter");
        closer.setDaemon(true);
        closer.start();
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refusedPort = probe.getLocalPort();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String resettingUrl() {
        return "http://127.0.0.1:" + resetting.getLocalPort();
    }

    public String refusedUrl() {
        return "http://127.0.0.1:" + refusedPort;
    }

    public int hits() {
        return hits.get();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Lets {@code /drip?id=...} of that id send its second chunk (before or after it started). */
    public void releaseDrip(String id) {
        drip(id).countDown();
    }

    private CountDownLatch drip(String id) {
        return drips.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    private void handle(HttpExchange exchange) throws IOException {
        hits.incrementAndGet();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
        seen.add(new Seen(exchange.getRequestMethod(), path, query, headers));
        try (exchange) {
            if (path.startsWith("/echo") || path.startsWith("/api/echo")) {
                echo(exchange, path, query, headers);
            } else if (path.equals("/bytes")) {
                long n = Long.parseLong(param(query, "n", "0"));
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    byte[] chunk = pattern(64 * 1024);
                    for (long sent = 0; sent < n; sent += chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, n - sent));
                    }
                }
            } else if (path.equals("/drip")) {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write("first-chunk;".getBytes(StandardCharsets.UTF_8));
                out.flush();
                awaitQuietly(drip(param(query, "id", "")));
                out.write("second-chunk".getBytes(StandardCharsets.UTF_8));
                out.close();
            } else if (path.equals("/slow")) {
                sleepQuietly(Long.parseLong(param(query, "ms", "1000")));
                respond(exchange, 200, "{\"slow\":true}");
            } else if (path.startsWith("/status/")) {
                respond(exchange, Integer.parseInt(path.substring("/status/".length())), "{\"status\":true}");
            } else {
                respond(exchange, 404, "{\"error\":\"no such upstream path\"}");
            }
        }
    }

    private static void echo(HttpExchange exchange, String path, String query, Map<String, List<String>> headers)
            throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) > 0;) {
                sha.update(buffer, 0, read);
                size += read;
            }
        }
        Map<String, Object> body = new TreeMap<>();
        body.put("method", exchange.getRequestMethod());
        body.put("path", path);
        body.put("query", query);
        body.put("headers", headers);
        body.put("body_size", size);
        body.put("body_sha256", HexFormat.of().formatHex(sha.digest()));
        exchange.getResponseHeaders().add("X-Upstream", "test");
        exchange.getResponseHeaders().add("Connection", "X-Hop-Secret");
        exchange.getResponseHeaders().add("X-Hop-Secret", "should-not-pass");
        respond(exchange, 200, JSON.writeValueAsString(body));
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** The repeating bytes of {@code /bytes}. */
    public static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    private static String param(String query, String name, String fallback) {
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return fallback;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        executor.shutdownNow();
        resetting.close();
    }
}
