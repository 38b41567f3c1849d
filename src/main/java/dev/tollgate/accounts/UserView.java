package dev.tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as shown to clients and to other features: never a password hash. */
public record UserView(UUID id, String email, String username, List<String> roles, String plan, boolean suspended,
        Instant createdAt) {

    public boolean hasRole(Role role) {
        return roles.contains(role.id());
    }
}
