package dev.tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.UserEntity;
import dev.tollgate.platform.ProblemException;

/** Rules about users shared by registration, profile edits and administration. */
final class Users {

    private Users() {
    }

    static UserEntity newUser(String email, String username, String passwordHash, List<String> roles) {
        Instant now = Instant.now();
        UserEntity user = new UserEntity();
        user.id = UUID.randomUUID();
        user.email = normalizeEmail(email);
        user.username = username;
        user.usernameKey = username.toLowerCase(Locale.ROOT);
        user.passwordHash = passwordHash;
        user.setRoleList(roles);
        user.plan = Tier.FREE.id();
        user.suspended = false;
        user.createdAt = now;
        user.updatedAt = now;
        return user;
    }

    static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** 409 if another user has the e-mail address or (case-insensitively) the username. */
    static void ensureUnique(AccountStore store, UserEntity user) {
        if (store.emailTaken(user.email, user.id)) {
            throw ProblemException.conflict("The e-mail address is already registered.");
        }
        if (store.usernameTaken(user.usernameKey, user.id)) {
            throw ProblemException.conflict("The username is already taken.");
        }
    }

    /** Runs a write and turns a unique-index violation (a concurrent duplicate) into the same 409. */
    static <T> T uniquely(java.util.concurrent.Callable<T> write) {
        try {
            return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(write);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                    throw ProblemException.conflict("The e-mail address or username is already taken.");
                }
            }
            throw e;
        }
    }
}
