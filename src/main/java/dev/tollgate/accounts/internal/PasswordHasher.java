package dev.tollgate.accounts.internal;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.tollgate.accounts.AccountsConfig;

/** bcrypt password hashing. Passwords longer than bcrypt's 72 bytes are pre-hashed (SHA-512) rather than cut. */
@ApplicationScoped
public class PasswordHasher {

    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    private final int cost;
    private final BCrypt.Hasher hasher = BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    /** Verified against when the user does not exist, so that unknown users take as long as wrong passwords. */
    private final String decoy;

    PasswordHasher(AccountsConfig config) {
        this.cost = config.bcryptCost();
        this.decoy = hash("not a password of anyone's");
    }

    public String hash(String password) {
        return new String(hasher.hash(cost, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Constant-time check; a {@code null} hash is checked against a decoy and fails. */
    public boolean matches(String password, String hash) {
        boolean ok = verifyer.verify(password.getBytes(StandardCharsets.UTF_8),
                (hash == null ? decoy : hash).getBytes(StandardCharsets.UTF_8)).verified;
        return ok && hash != null;
    }
}
