package dev.tollgate.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    @Test
    void accepts_ordinary_ids() {
        assertThat(RequestIds.isSane("abc-123_X.y:z")).isTrue();
        assertThat(RequestIds.isSane("0f8fad5b-d9cb-469f-a165-70867728950e")).isTrue();
    }

    @Test
    void refuses_odd_ids() {
        assertThat(RequestIds.isSane(null)).isFalse();
        assertThat(RequestIds.isSane("")).isFalse();
        assertThat(RequestIds.isSane("has space")).isFalse();
        assertThat(RequestIds.isSane("line\nbreak")).isFalse();
        assertThat(RequestIds.isSane("x".repeat(129))).isFalse();
    }

    @Test
    void generates_distinct_hex_ids() {
        String a = RequestIds.generate();
        assertThat(a).matches("[0-9a-f]{32}");
        assertThat(RequestIds.generate()).isNotEqualTo(a);
    }

    @Test
    void ordered_ids_made_later_sort_later() throws InterruptedException {
        String earlier = RequestIds.generateOrdered();
        Thread.sleep(2);
        java.util.Set<String> later = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            later.add(RequestIds.generateOrdered());
        }
        assertThat(later).hasSize(1000).allSatisfy(id -> {
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(id).isGreaterThan(earlier);
        });
    }
}
