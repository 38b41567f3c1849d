package dev.tollgate.accounts.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(TestConfigs.accounts(Duration.ofMinutes(15)));

    @Test
    void hashes_with_bcrypt_and_verifies() {
        String hash = hasher.hash("correct horse battery");
        assertThat(hash).startsWith("$2b$04$").doesNotContain("correct horse");
        assertThat(hasher.matches("correct horse battery", hash)).isTrue();
        assertThat(hasher.matches("correct horse batterY", hash)).isFalse();
        assertThat(hasher.hash("correct horse battery")).isNotEqualTo(hash);
    }

    @Test
    void long_passwords_are_not_cut_at_72_bytes() {
        String prefix = "p".repeat(80);
        String hash = hasher.hash(prefix + "A");
        assertThat(hasher.matches(prefix + "A", hash)).isTrue();
        assertThat(hasher.matches(prefix + "B", hash)).isFalse();
    }

    @Test
    void a_missing_hash_never_matches() {
        assertThat(hasher.matches("anything at all", null)).isFalse();
    }
}
