package dev.tollgate.gateway.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TierLimitsTest {

    @Test
    void parses_tiers_case_insensitively_with_spaces() {
        TierLimits limits = TierLimits.parse(" Free:100, pro : 1000,enterprise:0,");
        assertThat(limits.hourlyLimit("free")).isEqualTo(100);
        assertThat(limits.hourlyLimit("pro")).isEqualTo(1000);
        assertThat(limits.hourlyLimit("enterprise")).isZero();
        assertThat(limits.hourlyLimit("unheard-of")).isEqualTo(100);
        assertThat(TierLimits.parse("").hourlyLimit("free")).isZero();
    }

    @Test
    void malformed_entries_are_refused_with_a_message_naming_the_variable() {
        assertThatThrownBy(() -> TierLimits.parse("free=100")).hasMessageContaining("TOLLGATE_TIER_HOURLY_LIMITS")
                .hasMessageContaining("free=100");
        assertThatThrownBy(() -> TierLimits.parse("pro:-1")).hasMessageContaining("'pro'");
        assertThatThrownBy(() -> TierLimits.parse("pro:lots")).isInstanceOf(IllegalArgumentException.class);
    }
}
