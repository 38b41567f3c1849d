package dev.tollgate.hosted.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.Session;

/** Database access for hosted APIs: versions, the active version, secrets, the key/value store and generation jobs. */
@ApplicationScoped
public class HostedStore {

    private final Session session;

    HostedStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
        session.flush();
    }

    public void remove(Object entity) {
        session.remove(entity);
        session.flush();
    }

    public Optional<HostedApiEntity> hostedApi(UUID apiId) {
        return Optional.ofNullable(session.find(HostedApiEntity.class, apiId));
    }

    /** The API's row, locked until the transaction ends: version numbers and activations are taken under it. */
    public Optional<HostedApiEntity> lockedHostedApi(UUID apiId) {
        return Optional.ofNullable(session.find(HostedApiEntity.class, apiId, LockModeType.PESSIMISTIC_WRITE));
    }

    public List<VersionEntity> versions(UUID apiId) {
        return session.createSelectionQuery("from VersionEntity where apiId = :api order by number desc",
                VersionEntity.class).setParameter("api", apiId).getResultList();
    }

    public Optional<VersionEntity> version(UUID apiId, int number) {
        return session.createSelectionQuery("from VersionEntity where apiId = :api and number = :n",
                VersionEntity.class).setParameter("api", apiId).setParameter("n", number).uniqueResultOptional();
    }

    public int lastNumber(UUID apiId) {
        Integer last = session.createSelectionQuery("select max(number) from VersionEntity where apiId = :api",
                Integer.class).setParameter("api", apiId).getSingleResult();
        return last == null ? 0 : last;
    }

    /** The active version of every hosted API that has one. */
    public List<VersionEntity> activeVersions() {
        return session.createSelectionQuery("select v from VersionEntity v, HostedApiEntity h"
                + " where v.apiId = h.apiId and v.number = h.activeVersion", VersionEntity.class).getResultList();
    }

    public List<SecretEntity> secrets(UUID apiId) {
        return session.createSelectionQuery("from SecretEntity where apiId = :api order by name", SecretEntity.class)
                .setParameter("api", apiId).getResultList();
    }

    public List<SecretEntity> allSecrets() {
        return session.createSelectionQuery("from SecretEntity", SecretEntity.class).getResultList();
    }

    public Optional<SecretEntity> secret(UUID apiId, String name) {
        return session.createSelectionQuery("from SecretEntity where apiId = :api and name = :name",
                SecretEntity.class).setParameter("api", apiId).setParameter("name", name).uniqueResultOptional();
    }

    public Optional<KvEntity> kv(UUID apiId, String key) {
        return session.createSelectionQuery("from KvEntity where apiId = :api and key = :key", KvEntity.class)
                .setParameter("api", apiId).setParameter("key", key).uniqueResultOptional();
    }

    /** Keys starting with {@code prefix}, in order. */
    public List<String> kvKeys(UUID apiId, String prefix, int limit) {
        return session.createSelectionQuery("select key from KvEntity where apiId = :api and key like :prefix"
                + " escape '!' order by key", String.class).setParameter("api", apiId)
                .setParameter("prefix", prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
                .setMaxResults(limit).getResultList();
    }

    public long kvBytes(UUID apiId) {
        Long bytes = session.createSelectionQuery("select sum(bytes) from KvEntity where apiId = :api", Long.class)
                .setParameter("api", apiId).getSingleResult();
        return bytes == null ? 0 : bytes;
    }

    public long kvCount(UUID apiId) {
        return session.createSelectionQuery("select count(*) from KvEntity where apiId = :api", Long.class)
                .setParameter("api", apiId).getSingleResult();
    }

    public Optional<GenerationJobEntity> job(UUID id) {
        return Optional.ofNullable(session.find(GenerationJobEntity.class, id));
    }

    public List<GenerationJobEntity> jobsOf(UUID userId, int limit) {
        return session.createSelectionQuery("from GenerationJobEntity where userId = :user order by createdAt desc",
                GenerationJobEntity.class).setParameter("user", userId).setMaxResults(limit).getResultList();
    }

    /** The user's queued or running jobs. */
    public long activeJobsOf(UUID userId) {
        return session.createSelectionQuery("select count(*) from GenerationJobEntity where userId = :user"
                + " and status in ('queued', 'running')", Long.class).setParameter("user", userId).getSingleResult();
    }

    /** Marks every queued or running job failed with {@code error}; how many there were. */
    public int failUnfinishedJobs(java.time.Instant now, String error) {
        return session.createMutationQuery("update GenerationJobEntity set status = 'failed', error = :error,"
                + " finishedAt = :now where status in ('queued', 'running')").setParameter("error", error)
                .setParameter("now", now).executeUpdate();
    }

    /** Generation jobs the user started since {@code since} (for the tier's monthly limit). */
    public long jobsSince(UUID userId, java.time.Instant since) {
        return session.createSelectionQuery("select count(*) from GenerationJobEntity where userId = :user"
                + " and createdAt >= :since", Long.class).setParameter("user", userId).setParameter("since", since)
                .getSingleResult();
    }
}
