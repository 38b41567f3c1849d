package dev.tollgate.platform;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    @Test
    void converts_units_to_micros_and_back_exactly() {
        assertThat(Money.toMicros(new BigDecimal("0.002"))).isEqualTo(2_000);
        assertThat(Money.toMicros(new BigDecimal("29"))).isEqualTo(29_000_000);
        assertThat(Money.toMicros(new BigDecimal("0.000001"))).isEqualTo(1);
        assertThat(Money.toMicros(new BigDecimal("1.50000000"))).isEqualTo(1_500_000);
        assertThat(Money.fromMicros(2_000)).isEqualByComparingTo("0.002").hasToString("0.002");
        assertThat(Money.fromMicros(29_000_000)).hasToString("29");
        assertThat(Money.fromMicros(0)).hasToString("0");
        assertThat(Money.fromMicros(Money.toMicros(new BigDecimal("123456.789012")))).hasToString("123456.789012");
    }

    @Test
    void refuses_negative_too_precise_and_too_large_amounts() {
        assertThatThrownBy(() -> Money.toMicros(new BigDecimal("-1"))).hasMessage("must not be negative");
        assertThatThrownBy(() -> Money.toMicros(new BigDecimal("0.0000001")))
                .hasMessage("must have at most 6 decimals");
        assertThatThrownBy(() -> Money.toMicros(new BigDecimal("1e14"))).hasMessage("is too large");
    }
}
