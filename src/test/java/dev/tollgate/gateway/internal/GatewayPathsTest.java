package dev.tollgate.gateway.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayPathsTest {

    @Test
    void the_slug_ends_at_the_next_slash_or_query() {
        assertThat(GatewayHandler.slugEnd("/gw/svc/a/b")).isEqualTo(7);
        assertThat(GatewayHandler.slugEnd("/gw/svc?x=1")).isEqualTo(7);
        assertThat(GatewayHandler.slugEnd("/gw/svc")).isEqualTo(7);
        assertThat(GatewayHandler.slugEnd("/gw/")).isEqualTo(4);
    }

    @Test
    void dot_segments_are_found_plain_or_percent_encoded_but_not_in_names_or_the_query() {
        assertThat(GatewayHandler.hasDotSegment("/a/../b")).isTrue();
        assertThat(GatewayHandler.hasDotSegment("/a/./b")).isTrue();
        assertThat(GatewayHandler.hasDotSegment("/..")).isTrue();
        assertThat(GatewayHandler.hasDotSegment("/%2e%2E/etc")).isTrue();
        assertThat(GatewayHandler.hasDotSegment("/.%2e")).isTrue();
        assertThat(GatewayHandler.hasDotSegment("/file.json")).isFalse();
        assertThat(GatewayHandler.hasDotSegment("/...")).isFalse();
        assertThat(GatewayHandler.hasDotSegment("/a?path=../b")).isFalse();
        assertThat(GatewayHandler.hasDotSegment("/a%20b")).isFalse();
    }

    @Test
    void hop_by_hop_headers_include_those_named_by_connection() {
        assertThat(UpstreamProxy.Hop.isHopByHop("transfer-encoding", null)).isTrue();
        assertThat(UpstreamProxy.Hop.isHopByHop("Upgrade", null)).isTrue();
        assertThat(UpstreamProxy.Hop.isHopByHop("X-Secret", "keep-alive, X-Secret")).isTrue();
        assertThat(UpstreamProxy.Hop.isHopByHop("X-Custom", "keep-alive")).isFalse();
        assertThat(UpstreamProxy.Hop.isHopByHop("Content-Type", null)).isFalse();
    }
}
