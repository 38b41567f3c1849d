package dev.tollgate.accounts.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void generates_a_key_once_and_reuses_it_after_a_restart() throws Exception {
        SigningKeys first = new SigningKeys(TestConfigs.jwt(null), dataDir.toString());
        Path file = dataDir.resolve("keys/jwt-signing-key.pem");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        SigningKeys second = new SigningKeys(TestConfigs.jwt(null), dataDir.toString());
        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
    }

    @Test
    void uses_a_configured_key_file() {
        SigningKeys generated = new SigningKeys(TestConfigs.jwt(null), dataDir.toString());
        Path configured = dataDir.resolve("keys/jwt-signing-key.pem");
        SigningKeys loaded = new SigningKeys(TestConfigs.jwt(configured.toString()), "/nonexistent");
        assertThat(loaded.keyId()).isEqualTo(generated.keyId());
    }

    @Test
    void refuses_a_configured_key_file_that_is_missing_rather_than_generating_one() {
        assertThatThrownBy(() -> new SigningKeys(TestConfigs.jwt(dataDir.resolve("missing.pem").toString()),
                dataDir.toString())).hasMessageContaining("missing");
        assertThat(dataDir.resolve("missing.pem")).doesNotExist();
    }

    @Test
    void publishes_only_public_key_material() {
        SigningKeys keys = new SigningKeys(TestConfigs.jwt(null), dataDir.toString());
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> key = ((java.util.List<java.util.Map<String, Object>>) keys.jwks().get("keys"))
                .get(0);
        // no private members (d, p, q, dp, dq, qi)
        assertThat(key).containsOnlyKeys("kty", "use", "alg", "kid", "n", "e").containsEntry("kid", keys.keyId());
    }
}
