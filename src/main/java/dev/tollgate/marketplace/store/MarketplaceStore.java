package dev.tollgate.marketplace.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

/** Database access for listings, featuring, reviews and saved APIs. Callers own the transaction. */
@ApplicationScoped
public class MarketplaceStore {

    private final Session session;

    MarketplaceStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
    }

    public void remove(Object entity) {
        session.remove(entity);
    }

    // --- listings ---------------------------------------------------------------------------------

    public Optional<ListingEntity> listing(UUID apiId) {
        return Optional.ofNullable(session.find(ListingEntity.class, apiId));
    }

    public List<ListingEntity> listings() {
        return session.createSelectionQuery("from ListingEntity", ListingEntity.class).getResultList();
    }

    public Optional<FeaturedEntity> featured(UUID apiId) {
        return Optional.ofNullable(session.find(FeaturedEntity.class, apiId));
    }

    public List<FeaturedEntity> featured() {
        return session.createSelectionQuery("from FeaturedEntity", FeaturedEntity.class).getResultList();
    }

    // --- reviews ----------------------------------------------------------------------------------

    public Optional<ReviewEntity> review(UUID id) {
        return Optional.ofNullable(session.find(ReviewEntity.class, id));
    }

    public Optional<ReviewEntity> review(UUID apiId, UUID consumerId) {
        return session.createSelectionQuery("from ReviewEntity where apiId = :api and consumerId = :consumer",
                ReviewEntity.class).setParameter("api", apiId).setParameter("consumer", consumerId)
                .uniqueResultOptional();
    }

    /** Per API: the number of shown reviews and the sum of their ratings. */
    public List<Object[]> ratings() {
        return session.createSelectionQuery("select apiId, count(*), sum(rating) from ReviewEntity"
                + " where hidden = false group by apiId", Object[].class).getResultList();
    }

    /** An API's reviews, newest or best first; hidden ones only when asked. */
    public List<ReviewEntity> reviews(UUID apiId, boolean byRating, boolean withHidden, int skip, int limit) {
        return session.createSelectionQuery("from ReviewEntity where apiId = :api"
                + (withHidden ? "" : " and hidden = false")
                + (byRating ? " order by rating desc, updatedAt desc, id" : " order by updatedAt desc, id"),
                ReviewEntity.class).setParameter("api", apiId).setFirstResult(skip).setMaxResults(limit)
                .getResultList();
    }

    public long countReviews(UUID apiId, boolean withHidden) {
        return session.createSelectionQuery("select count(*) from ReviewEntity where apiId = :api"
                + (withHidden ? "" : " and hidden = false"), Long.class).setParameter("api", apiId)
                .getSingleResult();
    }

    // --- saved ------------------------------------------------------------------------------------

    public Optional<SavedEntity> saved(UUID userId, UUID apiId) {
        return Optional.ofNullable(session.find(SavedEntity.class, new SavedEntity.Key(userId, apiId)));
    }

    /** The user's saved APIs, newest first. */
    public List<SavedEntity> savedBy(UUID userId) {
        return session.createSelectionQuery("from SavedEntity where userId = :user order by createdAt desc, apiId",
                SavedEntity.class).setParameter("user", userId).getResultList();
    }
}
