package dev.tollgate.accounts.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

/**
 * Database access for accounts. Callers own the transaction. Every query goes through here so that entities stay
 * inside the accounts feature.
 */
@ApplicationScoped
public class AccountStore {

    private final Session session;

    AccountStore(Session session) {
        this.session = session;
    }

    // --- users ------------------------------------------------------------------------------------

    public Optional<UserEntity> user(UUID id) {
        return Optional.ofNullable(session.find(UserEntity.class, id));
    }

    /** By lower-cased username or e-mail address. */
    public Optional<UserEntity> userByLogin(String login) {
        return session.createSelectionQuery("from UserEntity where usernameKey = :login or email = :login",
                UserEntity.class).setParameter("login", login).setMaxResults(1).uniqueResultOptional();
    }

    public boolean emailTaken(String email, UUID except) {
        return session.createSelectionQuery("select count(*) from UserEntity where email = :email and id <> :except",
                Long.class).setParameter("email", email).setParameter("except", except).getSingleResult() > 0;
    }

    public boolean usernameTaken(String usernameKey, UUID except) {
        return session.createSelectionQuery(
                "select count(*) from UserEntity where usernameKey = :key and id <> :except", Long.class)
                .setParameter("key", usernameKey).setParameter("except", except).getSingleResult() > 0;
    }

    public List<UUID> userIds() {
        return session.createSelectionQuery("select id from UserEntity", UUID.class).getResultList();
    }

    /** Id and username of each of these users that exists. */
    public List<Object[]> usernames(Collection<UUID> ids) {
        return session.createSelectionQuery("select id, username from UserEntity where id in :ids", Object[].class)
                .setParameter("ids", ids).getResultList();
    }

    /** Users who are suspended or above the free tier. */
    public List<UserEntity> notableUsers() {
        return session.createSelectionQuery("from UserEntity where suspended = true or plan <> 'free'"
                + " or concat(',', roles, ',') like '%,admin,%'",
                UserEntity.class).getResultList();
    }

    public boolean anyUserWithRole(String role) {
        return countUsers(null, role) > 0;
    }

    public List<UserEntity> users(String emailContains, String role, int skip, int limit) {
        return usersQuery("from UserEntity", emailContains, role, UserEntity.class)
                .setFirstResult(skip).setMaxResults(limit).getResultList();
    }

    public long countUsers(String emailContains, String role) {
        return usersQuery("select count(*) from UserEntity", emailContains, role, Long.class).getSingleResult();
    }

    private <T> org.hibernate.query.SelectionQuery<T> usersQuery(String select, String emailContains, String role,
            Class<T> type) {
        StringBuilder hql = new StringBuilder(select).append(" where 1 = 1");
        if (emailContains != null) {
            hql.append(" and email like :email escape '!'");
        }
        if (role != null) {
            hql.append(" and (roles = :r or roles like :first or roles like :middle or roles like :last)");
        }
        if (type == UserEntity.class) {
            hql.append(" order by createdAt, id");
        }
        var query = session.createSelectionQuery(hql.toString(), type);
        if (emailContains != null) {
            String escaped = emailContains.replace("!", "!!").replace("%", "!%").replace("_", "!_");
            query.setParameter("email", "%" + escaped + "%");
        }
        if (role != null) {
            query.setParameter("r", role).setParameter("first", role + ",%")
                    .setParameter("middle", "%," + role + ",%").setParameter("last", "%," + role);
        }
        return query;
    }

    public void persist(Object entity) {
        session.persist(entity);
    }

    public void flush() {
        session.flush();
    }

    // --- sessions and refresh tokens ---------------------------------------------------------------

    public Optional<LoginSessionEntity> loginSession(UUID id) {
        return Optional.ofNullable(session.find(LoginSessionEntity.class, id));
    }

    public Optional<WebSessionEntity> webSession(String tokenHash) {
        return Optional.ofNullable(session.find(WebSessionEntity.class, tokenHash));
    }

    public void deleteWebSession(String tokenHash) {
        session.createMutationQuery("delete from WebSessionEntity where tokenHash = :hash")
                .setParameter("hash", tokenHash).executeUpdate();
    }

    public int deleteExpiredWebSessions(Instant now) {
        return session.createMutationQuery("delete from WebSessionEntity where expiresAt < :now")
                .setParameter("now", now).executeUpdate();
    }

    public Optional<RefreshTokenEntity> refreshTokenByHash(String hash) {
        return session.createSelectionQuery("from RefreshTokenEntity where tokenHash = :hash",
                RefreshTokenEntity.class).setParameter("hash", hash).uniqueResultOptional();
    }

    /** Marks the token used unless it already was; true if this call used it. Safe against concurrent refreshes. */
    public boolean useRefreshToken(UUID id, Instant now) {
        return session.createMutationQuery(
                "update RefreshTokenEntity set usedAt = :now where id = :id and usedAt is null")
                .setParameter("now", now).setParameter("id", id).executeUpdate() == 1;
    }

    public int revokeSession(UUID sessionId, String reason, Instant now) {
        return session.createMutationQuery("update LoginSessionEntity set revokedAt = :now, revokeReason = :reason "
                + "where id = :id and revokedAt is null")
                .setParameter("now", now).setParameter("reason", reason).setParameter("id", sessionId)
                .executeUpdate();
    }

    /** Revokes all of a user's active sessions, except {@code keep} if given. */
    public int revokeSessionsOf(UUID userId, UUID keep, String reason, Instant now) {
        return session.createMutationQuery("update LoginSessionEntity set revokedAt = :now, revokeReason = :reason "
                + "where userId = :user and revokedAt is null and id <> :keep")
                .setParameter("now", now).setParameter("reason", reason).setParameter("user", userId)
                .setParameter("keep", keep == null ? new UUID(0, 0) : keep)
                .executeUpdate();
    }

    // --- failed logins -----------------------------------------------------------------------------

    /** Times of recent failures for the account, newest first. */
    public List<Instant> failuresOfAccount(String accountKey, Instant since, int max) {
        return session.createSelectionQuery("select failedAt from LoginFailureEntity "
                + "where accountKey = :key and failedAt > :since order by failedAt desc", Instant.class)
                .setParameter("key", accountKey).setParameter("since", since).setMaxResults(max).getResultList();
    }

    /** Times of recent failures from the client address, newest first. */
    public List<Instant> failuresOfClient(String clientAddress, Instant since, int max) {
        return session.createSelectionQuery("select failedAt from LoginFailureEntity "
                + "where clientAddress = :client and failedAt > :since order by failedAt desc", Instant.class)
                .setParameter("client", clientAddress).setParameter("since", since).setMaxResults(max)
                .getResultList();
    }

    public void clearFailuresOfAccount(String accountKey) {
        session.createMutationQuery("delete from LoginFailureEntity where accountKey = :key")
                .setParameter("key", accountKey).executeUpdate();
    }

    public void deleteFailuresBefore(Instant cutoff) {
        session.createMutationQuery("delete from LoginFailureEntity where failedAt < :cutoff")
                .setParameter("cutoff", cutoff).executeUpdate();
    }
}
