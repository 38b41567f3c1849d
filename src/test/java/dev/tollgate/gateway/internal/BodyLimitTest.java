package dev.tollgate.gateway.internal;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class BodyLimitTest {

    private final BodyLimit limit = new BodyLimit(1_000);

    private static CallContext call(long apiLimit, Map<String, String> headers) {
        ApiRoute api = Calls.api("svc", UUID.randomUUID(), true, apiLimit, false, Calls.plan(0, 0, 0), true);
        CallContext call = Calls.call(Calls.state(java.util.List.of(api), java.util.List.of(), java.util.List.of()),
                "svc", headers, 0);
        call.api = api;
        call.key = Calls.key(Set.of(), 0);
        return call;
    }

    @Test
    void a_declared_length_up_to_the_platform_limit_passes_and_over_it_is_413() {
        CallContext atLimit = call(0, Map.of("Content-Length", "1000"));
        assertThat(limit.apply(atLimit)).isNull();
        assertThat(atLimit.maxRequestBodyBytes).isEqualTo(1_000);
        ProblemException over = limit.apply(call(0, Map.of("Content-Length", "1001")));
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.detail()).contains("1000 bytes").contains("'svc'");
        assertThat(over.extensions()).containsEntry("max_request_body_bytes", 1_000L);
        assertThat(over.headers()).containsEntry("Connection", "close");
    }

    @Test
    void the_apis_own_limit_wins_lower_or_higher() {
        assertThat(limit.apply(call(10, Map.of("Content-Length", "11"))).status()).isEqualTo(413);
        CallContext higher = call(5_000, Map.of("Content-Length", "5000"));
        assertThat(limit.apply(higher)).isNull();
        assertThat(higher.maxRequestBodyBytes).isEqualTo(5_000);
    }

    @Test
    void without_a_length_the_limit_is_only_set_for_counting_while_piping() {
        CallContext chunked = call(0, Map.of("Transfer-Encoding", "chunked"));
        assertThat(limit.apply(chunked)).isNull();
        assertThat(chunked.maxRequestBodyBytes).isEqualTo(1_000);
    }
}
