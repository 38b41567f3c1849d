package dev.tollgate.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamTest {

    @Test
    void parses_host_port_scheme_and_path_without_trailing_slashes() {
        assertThat(Upstream.parse("https://api.example.com/v1/")).isEqualTo(
                new Upstream("api.example.com", 443, true, "/v1"));
        assertThat(Upstream.parse("http://127.0.0.1:8081")).isEqualTo(new Upstream("127.0.0.1", 8081, false, ""));
        assertThat(Upstream.parse(" HTTP://[::1]:9000/a%20b ")).isEqualTo(new Upstream("::1", 9000, false,
                "/a%20b"));
    }

    @Test
    void refuses_what_cannot_be_an_upstream() {
        assertThatThrownBy(() -> Upstream.parse("ftp://example.com")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> Upstream.parse("example.com/api")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> Upstream.parse("http:///path")).hasMessageContaining("host");
        assertThatThrownBy(() -> Upstream.parse("http://example.com/?a=1")).hasMessageContaining("query");
        assertThatThrownBy(() -> Upstream.parse("http://user:pw@example.com")).hasMessageContaining("user info");
        assertThatThrownBy(() -> Upstream.parse("http://exa mple.com")).isInstanceOf(IllegalArgumentException.class);
    }
}
