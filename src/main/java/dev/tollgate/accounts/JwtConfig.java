package dev.tollgate.accounts;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Access-token signing keys ({@code TOLLGATE_JWT_*}). Without them, an RSA key pair is generated once into
 * {@code <data dir>/keys/} and reused on every start, so issued tokens survive restarts.
 */
@ConfigMapping(prefix = "tollgate.jwt")
public interface JwtConfig {

    /** PEM file with the PKCS#8 RSA private key used to sign access tokens. */
    Optional<String> privateKeyFile();
}
