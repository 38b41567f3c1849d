package dev.tollgate.keys.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

/** Database access for API keys. Callers own the transaction. */
@ApplicationScoped
public class KeyStore {

    private final Session session;

    KeyStore(Session session) {
        this.session = session;
    }

    public void persist(ApiKeyEntity key) {
        session.persist(key);
    }

    public Optional<ApiKeyEntity> key(UUID id) {
        return Optional.ofNullable(session.find(ApiKeyEntity.class, id));
    }

    public List<ApiKeyEntity> keysOf(UUID ownerId, boolean includeRevoked) {
        return session.createSelectionQuery("from ApiKeyEntity where ownerId = :owner"
                + (includeRevoked ? "" : " and revokedAt is null") + " order by createdAt, id", ApiKeyEntity.class)
                .setParameter("owner", ownerId).getResultList();
    }

    public long activeKeysOf(UUID ownerId) {
        return session.createSelectionQuery(
                "select count(*) from ApiKeyEntity where ownerId = :owner and revokedAt is null", Long.class)
                .setParameter("owner", ownerId).getSingleResult();
    }

    /** Unrevoked keys that have not expired by {@code now}. */
    public List<ApiKeyEntity> usableKeys(Instant now) {
        return session.createSelectionQuery(
                "from ApiKeyEntity where revokedAt is null and (expiresAt is null or expiresAt > :now)",
                ApiKeyEntity.class).setParameter("now", now).getResultList();
    }

    public void touch(UUID id, Instant usedAt) {
        session.createMutationQuery("update ApiKeyEntity set lastUsedAt = :at where id = :id "
                + "and (lastUsedAt is null or lastUsedAt < :at)").setParameter("at", usedAt).setParameter("id", id)
                .executeUpdate();
    }
}
