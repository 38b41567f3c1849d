package dev.tollgate.notifications.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

/** Database access for notifications and feedback. Callers own the transaction. */
@ApplicationScoped
public class NotificationStore {

    private final Session session;

    NotificationStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
        session.flush();
    }

    public boolean exists(UUID userId, String cause) {
        return session.createSelectionQuery("select count(*) from NotificationEntity where userId = :user"
                + " and cause = :cause", Long.class).setParameter("user", userId).setParameter("cause", cause)
                .getSingleResult() > 0;
    }

    public Optional<NotificationEntity> notification(UUID id) {
        return Optional.ofNullable(session.find(NotificationEntity.class, id));
    }

    /** A user's notifications, newest first. */
    public List<NotificationEntity> history(UUID userId, boolean unreadOnly, String type, int skip, int limit) {
        var query = session.createSelectionQuery("from NotificationEntity where userId = :user and inApp"
                + (unreadOnly ? " and readAt is null" : "") + (type == null ? "" : " and type = :type")
                + " order by createdAt desc, id", NotificationEntity.class).setParameter("user", userId);
        if (type != null) {
            query.setParameter("type", type);
        }
        return query.setFirstResult(skip).setMaxResults(limit).getResultList();
    }

    public long unread(UUID userId) {
        return session.createSelectionQuery("select count(*) from NotificationEntity where userId = :user"
                + " and inApp and readAt is null", Long.class).setParameter("user", userId).getSingleResult();
    }

    public int markAllRead(UUID userId, Instant at) {
        return session.createMutationQuery("update NotificationEntity set readAt = :at where userId = :user"
                + " and inApp and readAt is null").setParameter("at", at).setParameter("user", userId).executeUpdate();
    }

    /** The in-app notifications of these users created after the instant, oldest first (the live push). */
    public List<NotificationEntity> createdAfter(java.util.Collection<UUID> users, Instant after, int limit) {
        return session.createSelectionQuery("from NotificationEntity where userId in :users and inApp"
                + " and createdAt > :after order by createdAt, id", NotificationEntity.class)
                .setParameter("users", users).setParameter("after", after).setMaxResults(limit).getResultList();
    }

    // --- preferences ------------------------------------------------------------------------------

    public List<PreferenceEntity> preferences(UUID userId) {
        return session.createSelectionQuery("from PreferenceEntity where userId = :user order by type",
                PreferenceEntity.class).setParameter("user", userId).getResultList();
    }

    public Optional<PreferenceEntity> preference(UUID userId, String type) {
        PreferenceEntity.Key key = new PreferenceEntity.Key();
        key.userId = userId;
        key.type = type;
        return Optional.ofNullable(session.find(PreferenceEntity.class, key));
    }

    // --- feedback ---------------------------------------------------------------------------------

    public Optional<FeedbackEntity> feedback(UUID id) {
        return Optional.ofNullable(session.find(FeedbackEntity.class, id));
    }

    public List<FeedbackEntity> feedbackOf(UUID userId) {
        return session.createSelectionQuery("from FeedbackEntity where userId = :user order by createdAt desc, id",
                FeedbackEntity.class).setParameter("user", userId).getResultList();
    }

    public List<FeedbackEntity> feedbackWith(String status, int skip, int limit) {
        var query = session.createSelectionQuery("from FeedbackEntity" + (status == null ? "" : " where status = :s")
                + " order by createdAt desc, id", FeedbackEntity.class);
        if (status != null) {
            query.setParameter("s", status);
        }
        return query.setFirstResult(skip).setMaxResults(limit).getResultList();
    }
}
