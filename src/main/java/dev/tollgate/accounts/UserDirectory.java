package dev.tollgate.accounts;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import dev.tollgate.accounts.store.AccountStore;
import dev.tollgate.accounts.store.UserEntity;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Administration of users: list, change roles and tier, suspend. */
@ApplicationScoped
public class UserDirectory {

    private static final Logger LOG = Logger.getLogger(UserDirectory.class);

    /** Change topic of the account data the gateway enforces: tiers and suspensions. */
    public static final String TOPIC = "accounts";

    private final AccountStore store;
    private final ChangeFeed changes;
    private final Event<TierChanged> tierChanged;

    UserDirectory(AccountStore store, ChangeFeed changes, Event<TierChanged> tierChanged) {
        this.store = store;
        this.changes = changes;
        this.tierChanged = tierChanged;
    }

    public record Page(List<UserView> users, long total) {
    }

    /** What an admin may change; {@code null} fields are left as they are. */
    public record UserChange(List<Role> roles, Boolean suspended, Tier plan) {
    }

    public Page list(String emailContains, Role role, int skip, int limit) {
        String roleId = role == null ? null : role.id();
        return QuarkusTransaction.requiringNew().call(() -> new Page(
                store.users(emailContains, roleId, skip, limit).stream().map(UserEntity::view).toList(),
                store.countUsers(emailContains, roleId)));
    }

    /** Every user's id. */
    public List<UUID> userIds() {
        return QuarkusTransaction.requiringNew().call(store::userIds);
    }

    /** The username of each of these users that exists. */
    public Map<UUID, String> usernames(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, String> names = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> store.usernames(new HashSet<>(ids))
                .forEach(row -> names.put((UUID) row[0], (String) row[1])));
        return names;
    }

    /** The user with this username or e-mail address (either case), if any. */
    public java.util.Optional<UserView> byLogin(String login) {
        if (login == null || login.isBlank()) {
            return java.util.Optional.empty();
        }
        String key = login.trim().toLowerCase(java.util.Locale.ROOT);
        return QuarkusTransaction.requiringNew().call(() -> store.userByLogin(key).map(UserEntity::view));
    }

    public UserView get(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> store.user(id).map(UserEntity::view)
                .orElseThrow(() -> ProblemException.notFound("No user with id " + id + ".")));
    }

    /**
     * Sets the user's account tier as a paid platform subscription dictates; the gateway applies it within a second.
     *
     * @return whether it changed
     */
    public boolean setTier(UUID id, Tier tier, String why) {
        boolean changed = QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = store.user(id)
                    .orElseThrow(() -> ProblemException.notFound("No user with id " + id + "."));
            if (tier.id().equals(user.plan)) {
                return false;
            }
            user.plan = tier.id();
            user.updatedAt = Instant.now();
            changes.changed(TOPIC);
            return true;
        });
        if (changed) {
            LOG.infof("User %s is now on the %s tier: %s", id, tier.id(), why);
        }
        return changed;
    }

    /**
     * Applies an admin's change. Suspending ends all of the user's logins at once. An admin cannot suspend
     * themselves or drop their own admin role (that could leave nobody to undo it).
     */
    public UserView update(UUID actingAdmin, UUID id, UserChange change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UserEntity user = store.user(id)
                    .orElseThrow(() -> ProblemException.notFound("No user with id " + id + "."));
            Instant now = Instant.now();
            if (change.roles() != null) {
                if (change.roles().isEmpty()) {
                    throw ProblemException.invalid("roles", "must name at least one role");
                }
                if (id.equals(actingAdmin) && !change.roles().contains(Role.ADMIN)) {
                    throw ProblemException.conflict("You cannot remove your own admin role.");
                }
                user.setRoleList(change.roles().stream().distinct().sorted().map(Role::id).toList());
                // the gateway knows admins (no tier cap)
                changes.changed(TOPIC);
            }
            if (change.plan() != null && !change.plan().id().equals(user.plan)) {
                Tier from = Tier.parse(user.plan).orElse(Tier.FREE);
                user.plan = change.plan().id();
                changes.changed(TOPIC);
                tierChanged.fire(new TierChanged(id, from, change.plan(),
                        "tier:" + id + ":" + change.plan().id() + ":admin:" + now.toEpochMilli()));
                LOG.infof("User %s moved from the %s to the %s tier by admin %s", id, from.id(), change.plan().id(),
                        actingAdmin);
            }
            if (change.suspended() != null && change.suspended() != user.suspended) {
                if (id.equals(actingAdmin) && change.suspended()) {
                    throw ProblemException.conflict("You cannot suspend yourself.");
                }
                user.suspended = change.suspended();
                changes.changed(TOPIC);
                if (user.suspended) {
                    store.revokeSessionsOf(id, null, "suspended", now);
                }
                LOG.infof("User %s %s by admin %s", id, user.suspended ? "suspended" : "reinstated", actingAdmin);
            }
            user.updatedAt = now;
            return user.view();
        });
    }
}
