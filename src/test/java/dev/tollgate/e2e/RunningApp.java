package dev.tollgate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) started as its own process, as a user
 * would start it, on a free port and a given data directory.
 */
final class RunningApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path output;
    final int port;

    private RunningApp(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    static RunningApp start(Path dataDir, Map<String, String> environment) throws Exception {
        String jar = System.getProperty("tollgate.app.jar", "target/quarkus-app/quarkus-run.jar");
        int port = freePort();
        Path output = Files.createTempFile("tollgate-app", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("TOLLGATE_DATA_DIR", dataDir.toString());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(environment);
        RunningApp app = new RunningApp(builder.start(), output, port);
        app.awaitHealthy(Duration.ofSeconds(90));
        return app;
    }

    HttpResponse<String> send(String method, String path, String json, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Where the application listens, e.g. {@code http://127.0.0.1:41234}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A gateway call with an API key. */
    HttpResponse<String> call(String path, String apiKey) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("X-API-Key", apiKey).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the process the way a service manager does (SIGTERM) and waits for it to exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
        Files.deleteIfExists(output);
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The application exited during start-up:\n" + output());
            }
            try {
                if (send("GET", "/health", null, null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The application did not become healthy in " + timeout + ":\n" + output());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
