package dev.tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.UserEntity;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Transactions;

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

    /**
     * 409 if another user has the (normalized) e-mail address or the lower-cased username; {@code null} values are
     * not checked. Call before changing a managed entity, so the check's query cannot flush a duplicate.
     */
    static void ensureUnique(AccountStore store, UUID userId, String email, String usernameKey) {
        if (email != null && store.emailTaken(email, userId)) {
            throw ProblemException.conflict("The e-mail address is already registered.");
        }
        if (usernameKey != null && store.usernameTaken(usernameKey, userId)) {
            throw ProblemException.conflict("The username is already taken.");
        }
    }

    /** Runs a write and turns a unique-index violation (a concurrent duplicate) into the same 409. */
    static <T> T uniquely(Callable<T> write) {
        return Transactions.uniquely(write, "The e-mail address or username is already taken.");
    }
}
