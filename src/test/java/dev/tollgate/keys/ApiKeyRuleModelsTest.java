package dev.tollgate.keys;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.ModelLimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AI settings of a key as published to the data plane: scope, limit lookup, and the spend cap's encoding. */
class ApiKeyRuleModelsTest {

    private static ApiKeyRule rule(Set<String> models, Map<String, ModelLimit> limits, long capMicros) {
        return new ApiKeyRule(UUID.randomUUID(), UUID.randomUUID(), "ab", Set.of(), 0, models, limits, capMicros);
    }

    @Test
    void the_old_constructor_means_every_model_no_limits_and_no_cap() {
        ApiKeyRule rule = new ApiKeyRule(UUID.randomUUID(), UUID.randomUUID(), "ab", Set.of(), 0);
        assertThat(rule.modelNames()).isEmpty();
        assertThat(rule.modelLimits()).isEmpty();
        assertThat(rule.allowsModel("any-model")).isTrue();
        assertThat(rule.limitFor("any-model")).isNull();
        assertThat(rule.monthlySpendCapMicros()).isEqualTo(ApiKeyRule.NO_SPEND_CAP);
        assertThat(rule.hasSpendCap()).isFalse();
    }

    @Test
    void a_scoped_key_allows_only_its_models_and_never_a_missing_name() {
        ApiKeyRule scoped = rule(Set.of("gpt-4o-mini"), Map.of(), ApiKeyRule.NO_SPEND_CAP);
        assertThat(scoped.allowsModel("gpt-4o-mini")).isTrue();
        assertThat(scoped.allowsModel("GPT-4o-mini")).as("names are exact").isFalse();
        assertThat(scoped.allowsModel(null)).isFalse();
        assertThat(rule(Set.of(), Map.of(), -1).allowsModel(null)).isFalse();
    }

    @Test
    void a_model_limit_is_its_own_entry_else_the_star_default_else_none() {
        ApiKeyRule rule = rule(Set.of(), Map.of("*", new ModelLimit(60, 0), "gpt-4o", new ModelLimit(0, 1000)), -1);
        assertThat(rule.limitFor("gpt-4o")).isEqualTo(new ModelLimit(0, 1000));
        assertThat(rule.limitFor("other")).isEqualTo(new ModelLimit(60, 0));
        assertThat(rule.limitFor(null)).isEqualTo(new ModelLimit(60, 0));
        assertThat(rule(Set.of(), Map.of("gpt-4o", ModelLimit.NONE), -1).limitFor("other")).isNull();
    }

    @Test
    void a_cap_of_zero_is_a_cap_and_below_minus_one_is_refused() {
        assertThat(rule(Set.of(), Map.of(), 0).hasSpendCap()).isTrue();
        assertThatThrownBy(() -> rule(Set.of(), Map.of(), -2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelLimit(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
