package dev.tollgate.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.TestUpstream;
import dev.tollgate.testing.WithUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies pass through the gateway as streams, both ways, without being held whole in memory. */
@QuarkusTest
class GatewayStreamingTest extends WithUpstream {

    private static final long LARGE = 48L * 1024 * 1024;

    @TestHTTPResource("/")
    URI root;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void a_large_upload_arrives_whole_and_unchanged() throws Exception {
        // over the platform's 10 MiB default: the API raises its own limit
        PublishedApi api = Gateway.publish(Api.register("provider"), upstream.baseUrl(),
                Map.of("max_request_body_bytes", LARGE));
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        byte[] chunk = TestUpstream.pattern(1024 * 1024);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (long sent = 0; sent < LARGE; sent += chunk.length) {
            sha.update(chunk);
        }
        // chunked, no Content-Length: the gateway cannot know the size in advance
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/gw/" + api.slug() + "/echo/upload"))
                .header("X-API-Key", caller.key()).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new RepeatingStream(chunk, LARGE))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonPath echo = JsonPath.from(response.body());
        assertThat(echo.getLong("body_size")).isEqualTo(LARGE);
        assertThat(echo.getString("body_sha256")).isEqualTo(HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void a_large_download_arrives_whole_and_unchanged() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/gw/" + api.slug() + "/bytes?n=" + LARGE))
                .header("X-API-Key", caller.key()).timeout(Duration.ofSeconds(60)).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long total = 0;
        boolean intact = true;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) > 0;) {
                for (int i = 0; i < read; i++) {
                    intact &= buffer[i] == (byte) (((total + i) % (64 * 1024)) % 251);
                }
                total += read;
            }
        }
        assertThat(total).isEqualTo(LARGE);
        assertThat(intact).as("every byte as the upstream sent it").isTrue();
    }

    @Test
    void the_first_bytes_reach_the_client_before_the_upstream_has_finished() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/gw/" + api.slug() + "/drip?id=first-bytes"))
                .header("X-API-Key", caller.key()).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (InputStream in = response.body()) {
            byte[] first = new byte["first-chunk;".length()];
            // the upstream holds its second chunk until released: a buffering proxy would never deliver this
            Future<Integer> read = reader.submit(() -> in.readNBytes(first, 0, first.length));
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(first.length);
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first-chunk;");
            upstream.releaseDrip("first-bytes");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second-chunk");
        } finally {
            upstream.releaseDrip("first-bytes");
            reader.shutdownNow();
        }
    }

    @Test
    void a_client_that_goes_away_aborts_the_upstream_call() throws Exception {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /gw/" + api.slug() + "/drip?id=client-gone HTTP/1.1\r\nHost: localhost\r\nX-API-Key: "
                    + caller.key()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = new byte[12];
            assertThat(socket.getInputStream().readNBytes(head, 0, head.length)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        }
        // the gateway records the call as 499 (client closed) once it notices
        long deadline = System.currentTimeMillis() + 5_000;
        String status = null;
        while (System.currentTimeMillis() < deadline) {
            status = api.provider().as().get("/api/v1/apis/" + api.id() + "/logs").then().statusCode(200).extract()
                    .jsonPath().getString("[0].status");
            if ("499".equals(status)) {
                break;
            }
            Thread.sleep(100);
        }
        upstream.releaseDrip("client-gone");
        assertThat(status).isEqualTo("499");
    }

    /** {@code total} bytes made of {@code chunk} repeated, produced as they are read. */
    private static final class RepeatingStream extends InputStream {
        private final byte[] chunk;
        private final long total;
        private long position;

        RepeatingStream(byte[] chunk, long total) {
            this.chunk = chunk;
            this.total = total;
        }

        @Override
        public int read() {
            if (position >= total) {
                return -1;
            }
            return chunk[(int) (position++ % chunk.length)] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= total) {
                return -1;
            }
            int start = (int) (position % chunk.length);
            int n = (int) Math.min(Math.min(length, chunk.length - start), total - position);
            System.arraycopy(chunk, start, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
