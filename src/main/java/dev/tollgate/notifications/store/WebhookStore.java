package dev.tollgate.notifications.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

/** Database access for webhook endpoints, their deliveries and attempts. Callers own the transaction. */
@ApplicationScoped
public class WebhookStore {

    private final Session session;

    WebhookStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
        session.flush();
    }

    public Optional<WebhookEntity> webhook(UUID id) {
        return Optional.ofNullable(session.find(WebhookEntity.class, id)).filter(w -> w.deletedAt == null);
    }

    public List<WebhookEntity> webhooksOf(UUID userId) {
        return session.createSelectionQuery("from WebhookEntity where userId = :user and deletedAt is null"
                + " order by createdAt, id", WebhookEntity.class).setParameter("user", userId).getResultList();
    }

    /**
     * The user's endpoints, locked until the caller's transaction ends: deliveries are written under this lock, so
     * an endpoint's deliveries commit in the order of their {@code seq} and the sender never passes one that commits
     * late.
     */
    public List<WebhookEntity> lockedWebhooksOf(UUID userId) {
        return session.createSelectionQuery("from WebhookEntity where userId = :user and deletedAt is null"
                + " order by createdAt, id", WebhookEntity.class).setParameter("user", userId)
                .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).getResultList();
    }

    /** The endpoint, locked until the caller's transaction ends (see {@link #lockedWebhooksOf}). */
    public Optional<WebhookEntity> lockedWebhook(UUID id) {
        return Optional.ofNullable(session.find(WebhookEntity.class, id,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)).filter(w -> w.deletedAt == null);
    }

    public long countOf(UUID userId) {
        return session.createSelectionQuery("select count(*) from WebhookEntity where userId = :user"
                + " and deletedAt is null", Long.class).setParameter("user", userId).getSingleResult();
    }

    public Optional<DeliveryEntity> delivery(UUID id) {
        return Optional.ofNullable(session.find(DeliveryEntity.class, id));
    }

    public List<DeliveryEntity> deliveries(UUID endpointId, String status, int skip, int limit) {
        var query = session.createSelectionQuery("from DeliveryEntity where endpointId = :endpoint"
                + (status == null ? "" : " and status = :status") + " order by seq desc", DeliveryEntity.class)
                .setParameter("endpoint", endpointId);
        if (status != null) {
            query.setParameter("status", status);
        }
        return query.setFirstResult(skip).setMaxResults(limit).getResultList();
    }

    public List<AttemptEntity> attempts(List<UUID> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return List.of();
        }
        return session.createSelectionQuery("from AttemptEntity where deliveryId in :ids order by attempt",
                AttemptEntity.class).setParameter("ids", deliveryIds).getResultList();
    }

    /**
     * The deliveries due now: of each active endpoint, its oldest pending delivery (the head of its queue), if its
     * next attempt is due.
     */
    public List<DeliveryEntity> due(Instant now, int limit) {
        return session.createSelectionQuery("from DeliveryEntity d where d.status = 'pending'"
                + " and d.nextAttemptAt <= :now"
                + " and d.seq = (select min(o.seq) from DeliveryEntity o where o.endpointId = d.endpointId"
                + " and o.status = 'pending')"
                + " and exists (select 1 from WebhookEntity w where w.id = d.endpointId and w.status = 'active'"
                + " and w.deletedAt is null) order by d.nextAttemptAt", DeliveryEntity.class)
                .setParameter("now", now).setMaxResults(limit).getResultList();
    }

    /**
     * Takes the delivery for one attempt if no one else has since {@code seen} was read: moves its next attempt to
     * {@code leaseUntil}. Whether this caller got it.
     */
    public boolean claim(UUID id, Instant seen, Instant leaseUntil) {
        return session.createMutationQuery("update DeliveryEntity set nextAttemptAt = :lease where id = :id"
                + " and status = 'pending' and nextAttemptAt = :seen").setParameter("lease", leaseUntil)
                .setParameter("id", id).setParameter("seen", seen).executeUpdate() == 1;
    }

    /** Ends an endpoint's pending deliveries (the endpoint was deleted). */
    public int cancelPending(UUID endpointId, Instant at, String why) {
        return session.createMutationQuery("update DeliveryEntity set status = 'failed', finishedAt = :at,"
                + " lastError = :why where endpointId = :endpoint and status = 'pending'").setParameter("at", at)
                .setParameter("why", why).setParameter("endpoint", endpointId).executeUpdate();
    }

    public long pending(UUID endpointId) {
        return session.createSelectionQuery("select count(*) from DeliveryEntity where endpointId = :endpoint"
                + " and status = 'pending'", Long.class).setParameter("endpoint", endpointId).getSingleResult();
    }

}
