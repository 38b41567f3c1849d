package dev.tollgate.accounts.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tollgate.accounts.JwtConfig;
import dev.tollgate.platform.KeyFiles;

/**
 * The RSA key pair that signs access tokens (RS256). Loaded from {@code TOLLGATE_JWT_PRIVATE_KEY_FILE} if set,
 * else from {@code <data dir>/keys/jwt-signing-key.pem}, which is generated on first start and kept, so tokens
 * stay valid across restarts.
 */
@Singleton
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;

    SigningKeys(JwtConfig config, @ConfigProperty(name = "tollgate.data-dir") String dataDir) {
        Path file = config.privateKeyFile().map(Path::of)
                .orElseGet(() -> Path.of(dataDir, "keys", "jwt-signing-key.pem"));
        try {
            if (!Files.exists(file)) {
                if (config.privateKeyFile().isPresent()) {
                    throw new IllegalStateException("TOLLGATE_JWT_PRIVATE_KEY_FILE points at a missing file: " + file);
                }
                generate(file);
            }
            this.privateKey = readPrivateKey(file);
            this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            this.keyId = thumbprint(publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the JWT signing key from " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RSAPrivateCrtKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    /** The public key as a JSON Web Key Set ({@code /.well-known/jwks.json}). */
    public Map<String, Object> jwks() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kty", "RSA");
        key.put("use", "sig");
        key.put("alg", "RS256");
        key.put("kid", keyId);
        key.put("n", base64Url(publicKey.getModulus()));
        key.put("e", base64Url(publicKey.getPublicExponent()));
        return Map.of("keys", List.of(key));
    }

    private static void generate(Path file) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        KeyFiles.writeSecret(file, pem);
        LOG.infof("Generated a new JWT signing key at %s", file);
    }

    private static RSAPrivateCrtKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("expected a PKCS#8 PEM ('BEGIN PRIVATE KEY') RSA key");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String thumbprint(RSAPublicKey key) throws GeneralSecurityException {
        // RFC 7638 JWK thumbprint
        String canonical = "{\"e\":\"" + base64Url(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\""
                + base64Url(key.getModulus()) + "\"}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] unsigned = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, unsigned, 0, unsigned.length);
            bytes = unsigned;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
