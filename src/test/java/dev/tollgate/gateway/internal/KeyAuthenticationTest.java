package dev.tollgate.gateway.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.AccountRule;
import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class KeyAuthenticationTest {

    private static final long NOW = 1_800_000_000_000L;
    private final KeyAuthentication processor = new KeyAuthentication();

    private CallContext call(ApiKeyRule key, List<AccountRule> accounts, Map<String, String> headers) {
        GatewayState state = Calls.state(List.of(), List.of(key), accounts);
        return Calls.call(state, "svc", headers, NOW);
    }

    @Test
    void accepts_a_bearer_key_in_any_case_and_remembers_the_header_to_strip() {
        CallContext call = call(Calls.key(Set.of(), 0), List.of(), Map.of("authorization", "bearer " + Calls.SECRET));
        assertThat(processor.apply(call)).isNull();
        assertThat(call.key.id()).isEqualTo(Calls.KEY);
        assertThat(call.keyHeader).isEqualTo("Authorization");
        assertThat(call.account).isNull();
    }

    @Test
    void prefers_x_api_key_and_leaves_another_authorization_scheme_alone() {
        CallContext call = call(Calls.key(Set.of(), 0), List.of(),
                Map.of("X-API-Key", Calls.SECRET, "Authorization", "Basic dXNlcjpwdw=="));
        assertThat(processor.apply(call)).isNull();
        assertThat(call.keyHeader).isEqualTo("X-API-Key");
    }

    @Test
    void a_missing_key_is_401_with_a_challenge() {
        ProblemException problem = processor.apply(call(Calls.key(Set.of(), 0), List.of(),
                Map.of("Authorization", "Basic dXNlcjpwdw==")));
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.detail()).contains("API key is required");
        assertThat(problem.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"tollgate\"");
    }

    @Test
    void an_unknown_key_is_401() {
        CallContext call = call(Calls.key(Set.of(), 0), List.of(), Map.of("X-API-Key", Calls.SECRET + "x"));
        ProblemException problem = processor.apply(call);
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.detail()).contains("not valid");
        assertThat(call.key).isNull();
    }

    @Test
    void a_key_is_401_from_the_millisecond_it_expires() {
        assertThat(processor.apply(call(Calls.key(Set.of(), NOW + 1), List.of(), Map.of("X-API-Key",
                Calls.SECRET)))).isNull();
        ProblemException problem = processor.apply(call(Calls.key(Set.of(), NOW), List.of(),
                Map.of("X-API-Key", Calls.SECRET)));
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.detail()).contains("expired");
    }

    @Test
    void a_suspended_owner_is_401_and_a_tiered_one_carries_the_account() {
        AccountRule suspended = new AccountRule(Calls.CONSUMER, "pro", true);
        ProblemException problem = processor.apply(call(Calls.key(Set.of(), 0), List.of(suspended),
                Map.of("X-API-Key", Calls.SECRET)));
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.detail()).contains("suspended");

        AccountRule pro = new AccountRule(Calls.CONSUMER, "pro", false);
        CallContext call = call(Calls.key(Set.of(), 0), List.of(pro), Map.of("X-API-Key", Calls.SECRET));
        assertThat(processor.apply(call)).isNull();
        assertThat(call.account).isEqualTo(pro);
    }
}
