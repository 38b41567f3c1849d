package dev.tollgate.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/**
 * Encryption at rest for secrets the platform must be able to read back (e.g. the API keys of AI model channels):
 * AES-256-GCM with a random 12-byte nonce per value, stored as one base64 string of nonce, ciphertext and 16-byte tag.
 * A value that was changed, or sealed under another key, is refused when opened.
 * <p>
 * The key is {@code TOLLGATE_ENCRYPTION_KEY} ({@code tollgate.encryption-key}): 32 bytes as 64 hex characters or as
 * base64; anything else stops the start-up. Without it, a key is generated once into
 * {@code <data dir>/keys/encryption.key} (mode 0600) and reused on every start. Nodes that share a database must
 * share the key. Thread-safe; created at start-up so a bad key is reported before any request.
 */
@Startup
@Singleton
public class SecretBox {

    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    SecretBox(@ConfigProperty(name = "tollgate.encryption-key") Optional<String> configuredKey,
            @ConfigProperty(name = "tollgate.data-dir") String dataDir) {
        byte[] bytes = configuredKey.filter(k -> !k.isBlank())
                .map(SecretBox::parseKey)
                .orElseGet(() -> generatedKey(Path.of(dataDir, "keys", "encryption.key")));
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** A box with the given 32-byte key (tests and tools). */
    public static SecretBox withKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("The encryption key must be 32 bytes, not " + key.length);
        }
        return new SecretBox(Optional.of(HexFormat.of().formatHex(key)), "");
    }

    /** The secret encrypted under a fresh nonce, as base64 of nonce + ciphertext + tag. */
    public String seal(String plaintext) {
        return seal(plaintext, "");
    }

    /**
     * The secret sealed for one owner (e.g. {@code "channel:<id>"}, authenticated but not encrypted): it opens only
     * with the same owner, so a sealed value copied to another row is refused rather than used there.
     */
    public String seal(String plaintext, String owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secret inside a value made by {@link #seal}.
     *
     * @throws TamperedException when the value is not one of ours: changed, truncated or sealed under another key
     */
    public String open(String sealed) {
        return open(sealed, "");
    }

    /**
     * The secret inside a value made by {@link #seal(String, String)} for the same owner.
     *
     * @throws TamperedException when the value is not one of ours or was sealed for another owner
     */
    public String open(String sealed, String owner) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new TamperedException("The sealed value is not base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new TamperedException("The sealed value is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new TamperedException(
                    "The sealed value was changed, or sealed under another key or for another owner");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** A sealed value that does not open under this key. The message never contains the value. */
    public static class TamperedException extends RuntimeException {
        TamperedException(String message) {
            super(message, null, false, false);
        }
    }

    /** 64 hex characters or base64 (standard or URL-safe) of exactly 32 bytes; the message never shows the key. */
    static byte[] parseKey(String text) {
        String trimmed = text.trim();
        if (trimmed.length() == 2 * KEY_BYTES && trimmed.chars().allMatch(SecretBox::isHexDigit)) {
            return HexFormat.of().parseHex(trimmed);
        }
        byte[] decoded;
        try {
            decoded = trimmed.contains("-") || trimmed.contains("_")
                    ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TOLLGATE_ENCRYPTION_KEY must be 32 bytes given as 64 hex characters or "
                    + "as base64; the value given is neither (" + trimmed.length() + " characters)");
        }
        if (decoded.length != KEY_BYTES) {
            throw new IllegalStateException("TOLLGATE_ENCRYPTION_KEY must be 32 bytes given as 64 hex characters or "
                    + "as base64; the value given is " + decoded.length + " bytes");
        }
        return decoded;
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static byte[] generatedKey(Path file) {
        try {
            if (Files.exists(file)) {
                try {
                    return parseKey(Files.readString(file));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("The encryption key file " + file + " does not hold a 32-byte key "
                            + "(64 hex characters or base64); restore it or set TOLLGATE_ENCRYPTION_KEY");
                }
            }
            byte[] key = new byte[KEY_BYTES];
            RANDOM.nextBytes(key);
            KeyFiles.writeSecret(file, Base64.getEncoder().encodeToString(key) + "\n");
            LOG.infof("Generated a new encryption key at %s; back it up with the database: sealed secrets cannot be "
                    + "read without it", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the encryption key " + file, e);
        }
    }
}
