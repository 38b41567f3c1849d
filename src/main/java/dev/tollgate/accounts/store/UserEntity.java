package dev.tollgate.accounts.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.tollgate.accounts.UserView;

@Entity
@Table(name = "users")
public class UserEntity {

    @Id
    public UUID id;

    /** Lower-cased. */
    @Column(nullable = false)
    public String email;

    /** As the user typed it. */
    @Column(nullable = false)
    public String username;

    /** Lower-cased username, for case-insensitive uniqueness and login. */
    @Column(name = "username_key", nullable = false)
    public String usernameKey;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    /** Comma-separated role ids, e.g. {@code consumer,provider}. */
    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public String plan;

    @Column(nullable = false)
    public boolean suspended;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public List<String> roleList() {
        return roles.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(roles.split(",")));
    }

    public void setRoleList(List<String> roleIds) {
        roles = String.join(",", roleIds);
    }

    public UserView view() {
        return new UserView(id, email, username, List.copyOf(roleList()), plan, suspended, createdAt);
    }
}
