package dev.tollgate.portal.web;

import org.junit.jupiter.api.Test;

import io.vertx.core.net.HostAndPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The same-origin rule of the portal's notification stream, without a server. */
class NotificationStreamCheckTest {

    private static boolean allowed(String origin, String host, int port) {
        return NotificationStreamCheck.sameOrigin(origin, HostAndPort.create(host, port));
    }

    @Test
    void admits_a_page_of_the_host_the_request_was_sent_to() {
        assertThat(allowed("http://localhost:8080", "localhost", 8080)).isTrue();
        assertThat(allowed("https://Tollgate.Example.com", "tollgate.example.com", -1)).isTrue();
        assertThat(allowed("https://tollgate.example.com", "tollgate.example.com", 443)).isTrue();
        assertThat(allowed("http://[::1]:8080", "::1", 8080)).isTrue();
        // behind a TLS-terminating proxy the request itself is plain http on the public name
        assertThat(allowed("https://tollgate.example.com", "tollgate.example.com", -1)).isTrue();
    }

    @Test
    void refuses_other_sites_other_ports_and_pages_without_an_origin() {
        assertThat(allowed("https://evil.example", "tollgate.example.com", -1)).isFalse();
        assertThat(allowed("https://tollgate.example.com.evil.example", "tollgate.example.com", -1)).isFalse();
        assertThat(allowed("http://localhost:8081", "localhost", 8080)).isFalse();
        assertThat(allowed("http://tollgate.example.com", "tollgate.example.com", 8080)).isFalse();
        assertThat(allowed(null, "localhost", 8080)).isFalse();
        assertThat(allowed("null", "localhost", 8080)).isFalse(); // sandboxed frames and file: pages
        assertThat(allowed("file://", "localhost", 8080)).isFalse();
        assertThat(allowed("not a url", "localhost", 8080)).isFalse();
        assertThat(NotificationStreamCheck.sameOrigin("http://localhost:8080", null)).isFalse();
    }
}
