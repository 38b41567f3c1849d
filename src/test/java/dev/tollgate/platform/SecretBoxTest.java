package dev.tollgate.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    private static final String HEX_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path dataDir;

    private SecretBox configured(String key) {
        return new SecretBox(Optional.of(key), dataDir.toString());
    }

    @Test
    void seals_and_opens_a_secret_with_a_fresh_nonce_each_time() {
        SecretBox box = configured(HEX_KEY);
        String first = box.seal("sk-live-Ω-secret");
        String second = box.seal("sk-live-Ω-secret");

        assertThat(first).isNotEqualTo(second).doesNotContain("sk-live");
        byte[] raw = Base64.getDecoder().decode(first);
        // 12-byte nonce + UTF-8 plaintext (17 bytes) + 16-byte tag
        assertThat(raw).hasSize(12 + "sk-live-Ω-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + 16);
        assertThat(box.open(first)).isEqualTo("sk-live-Ω-secret");
        assertThat(box.open(second)).isEqualTo("sk-live-Ω-secret");
    }

    @Test
    void a_value_sealed_for_one_owner_opens_only_for_that_owner() {
        SecretBox box = configured(HEX_KEY);
        String sealed = box.seal("sk-channel-key", "ai-channel:1");
        assertThat(box.open(sealed, "ai-channel:1")).isEqualTo("sk-channel-key");
        assertThatThrownBy(() -> box.open(sealed, "ai-channel:2")).isInstanceOf(SecretBox.TamperedException.class)
                .hasMessageNotContaining("sk-channel-key");
        assertThatThrownBy(() -> box.open(sealed)).isInstanceOf(SecretBox.TamperedException.class);
    }

    @Test
    void accepts_the_same_key_as_hex_or_base64() {
        byte[] key = HexFormat.of().parseHex(HEX_KEY);
        String sealed = configured(HEX_KEY.toUpperCase()).seal("value");
        assertThat(configured(Base64.getEncoder().encodeToString(key)).open(sealed)).isEqualTo("value");
        assertThat(configured(Base64.getUrlEncoder().withoutPadding().encodeToString(key)).open(sealed))
                .isEqualTo("value");
        assertThat(SecretBox.withKey(key).open(sealed)).isEqualTo("value");
    }

    @Test
    void detects_a_changed_value() {
        SecretBox box = configured(HEX_KEY);
        byte[] raw = Base64.getDecoder().decode(box.seal("the secret"));
        for (int i : new int[]{0, 12, raw.length - 1}) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 1;
            assertThatThrownBy(() -> box.open(Base64.getEncoder().encodeToString(tampered)))
                    .isInstanceOf(SecretBox.TamperedException.class);
        }
        byte[] truncated = java.util.Arrays.copyOf(raw, raw.length - 1);
        assertThatThrownBy(() -> box.open(Base64.getEncoder().encodeToString(truncated)))
                .isInstanceOf(SecretBox.TamperedException.class);
        assertThatThrownBy(() -> box.open("not base64 at all!")).isInstanceOf(SecretBox.TamperedException.class);
        assertThatThrownBy(() -> box.open("AAAA")).isInstanceOf(SecretBox.TamperedException.class);
    }

    @Test
    void refuses_a_value_sealed_under_another_key() {
        String sealed = configured(HEX_KEY).seal("the secret");
        SecretBox other = configured(HEX_KEY.replace('0', '9'));
        assertThatThrownBy(() -> other.open(sealed)).isInstanceOf(SecretBox.TamperedException.class)
                .hasMessageNotContaining("the secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "000102030405060708090a0b0c0d0e0f", // 16 bytes as hex
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e", // 63 hex characters
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", // 33 bytes as base64
            "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" // not hex, not base64 of 32 bytes
    })
    void refuses_keys_that_are_not_32_bytes_with_a_clear_message_that_hides_the_key(String key) {
        assertThatThrownBy(() -> configured(key)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOLLGATE_ENCRYPTION_KEY must be 32 bytes").hasMessageNotContaining(key);
        assertThatThrownBy(() -> SecretBox.withKey(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThat(dataDir.resolve("keys/encryption.key")).doesNotExist();
    }

    @Test
    void generates_a_key_once_into_the_data_dir_and_reuses_it_after_a_restart() throws Exception {
        SecretBox first = new SecretBox(Optional.empty(), dataDir.toString());
        Path file = dataDir.resolve("keys/encryption.key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
        String sealed = first.seal("kept across restarts");
        String keyBefore = Files.readString(file);

        SecretBox second = new SecretBox(Optional.of("  "), dataDir.toString());
        assertThat(second.open(sealed)).isEqualTo("kept across restarts");
        assertThat(Files.readString(file)).isEqualTo(keyBefore);
    }

    @Test
    void refuses_a_damaged_key_file_instead_of_replacing_it() throws Exception {
        Path file = dataDir.resolve("keys/encryption.key");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> new SecretBox(Optional.empty(), dataDir.toString()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not hold a 32-byte key");
        assertThat(Files.readString(file)).isEqualTo("garbage");
    }
}
