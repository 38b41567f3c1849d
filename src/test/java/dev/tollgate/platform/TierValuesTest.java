package dev.tollgate.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TierValuesTest {

    @Test
    void parses_tiers_case_insensitively_with_spaces() {
        TierValues limits = TierValues.parse("TOLLGATE_TIER_HOURLY_LIMITS", " Free:100, pro : 1000,enterprise:0,");
        assertThat(limits.of("free")).isEqualTo(100);
        assertThat(limits.of("pro")).isEqualTo(1000);
        assertThat(limits.of("enterprise")).isZero();
        assertThat(limits.of("unheard-of")).isEqualTo(100);
        assertThat(TierValues.parse("TOLLGATE_TIER_HOURLY_LIMITS", "").of("free")).isZero();
    }

    @Test
    void malformed_entries_are_refused_with_a_message_naming_the_variable() {
        assertThatThrownBy(() -> TierValues.parse("TOLLGATE_TIER_HOURLY_LIMITS", "free=100"))
                .hasMessageContaining("TOLLGATE_TIER_HOURLY_LIMITS")
                .hasMessageContaining("free=100");
        assertThatThrownBy(() -> TierValues.parse("TOLLGATE_TIER_HOURLY_LIMITS", "pro:-1"))
                .hasMessageContaining("'pro'");
        assertThatThrownBy(() -> TierValues.parse("TOLLGATE_TIER_HOURLY_LIMITS", "pro:lots"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
