package dev.tollgate.accounts;

import java.util.Locale;
import java.util.Optional;

/** What a user may do. A user holds one or more roles. */
public enum Role {
    CONSUMER, PROVIDER, ADMIN;

    /** The role's name in JSON and in tokens. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
