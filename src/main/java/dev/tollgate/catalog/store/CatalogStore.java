package dev.tollgate.catalog.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.Session;

/** Database access for APIs, plans and subscriptions. Callers own the transaction. */
@ApplicationScoped
public class CatalogStore {

    private final Session session;

    CatalogStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
    }

    public void flush() {
        session.flush();
    }

    // --- APIs -------------------------------------------------------------------------------------

    public Optional<ApiEntity> api(UUID id) {
        return Optional.ofNullable(session.find(ApiEntity.class, id));
    }

    /** Locks the API's row until the transaction ends (nothing when it does not exist). */
    public void lockApi(UUID id) {
        session.find(ApiEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Optional<ApiEntity> apiBySlug(String slug) {
        return session.createSelectionQuery("from ApiEntity where slug = :slug", ApiEntity.class)
                .setParameter("slug", slug).uniqueResultOptional();
    }

    public boolean slugTaken(String slug, UUID except) {
        return session.createSelectionQuery("select count(*) from ApiEntity where slug = :slug and id <> :except",
                Long.class).setParameter("slug", slug).setParameter("except", except).getSingleResult() > 0;
    }

    public List<ApiEntity> apisOf(UUID ownerId, boolean publicOnly) {
        return session.createSelectionQuery("from ApiEntity where ownerId = :owner"
                + (publicOnly ? " and visibility = 'public'" : "") + " order by createdAt, id", ApiEntity.class)
                .setParameter("owner", ownerId).getResultList();
    }

    public List<ApiEntity> allApis() {
        return session.createSelectionQuery("from ApiEntity", ApiEntity.class).getResultList();
    }

    public List<ApiEntity> apis(Collection<UUID> ids) {
        return ids.isEmpty()
                ? List.of()
                : session.createSelectionQuery("from ApiEntity where id in :ids",
                        ApiEntity.class).setParameter("ids", ids).getResultList();
    }

    public void deleteApi(ApiEntity api) {
        deleteEndpointsOf(api.id);
        session.createMutationQuery("delete from SubscriptionEntity where apiId = :api").setParameter("api", api.id)
                .executeUpdate();
        session.createMutationQuery("delete from PlanEntity where apiId = :api").setParameter("api", api.id)
                .executeUpdate();
        session.remove(api);
    }

    // --- endpoints --------------------------------------------------------------------------------

    public List<EndpointEntity> endpointsOf(UUID apiId) {
        return session.createSelectionQuery("from EndpointEntity where apiId = :api order by position",
                EndpointEntity.class).setParameter("api", apiId).getResultList();
    }

    /** API id, method, path and summary of every imported endpoint (of the given APIs; null: all). */
    public List<Object[]> endpointLines(Collection<UUID> apiIds) {
        var query = session.createSelectionQuery("select apiId, method, path, summary from EndpointEntity"
                + (apiIds == null ? "" : " where apiId in :apis") + " order by apiId, position", Object[].class);
        if (apiIds != null) {
            query.setParameter("apis", apiIds);
        }
        return query.getResultList();
    }

    public void deleteEndpointsOf(UUID apiId) {
        session.createMutationQuery("delete from EndpointEntity where apiId = :api").setParameter("api", apiId)
                .executeUpdate();
    }

    // --- plans ------------------------------------------------------------------------------------

    /** A current (not retired) plan of the API. */
    public Optional<PlanEntity> plan(UUID apiId, UUID planId) {
        return planEvenRetired(apiId, planId).filter(p -> p.retiredAt == null);
    }

    /** A plan of the API, retired or not: for showing the history of ended subscriptions. */
    public Optional<PlanEntity> planEvenRetired(UUID apiId, UUID planId) {
        PlanEntity plan = session.find(PlanEntity.class, planId);
        return plan != null && plan.apiId.equals(apiId) ? Optional.of(plan) : Optional.empty();
    }

    public List<PlanEntity> plansOf(UUID apiId) {
        return session.createSelectionQuery(
                "from PlanEntity where apiId = :api and retiredAt is null order by createdAt, id", PlanEntity.class)
                .setParameter("api", apiId).getResultList();
    }

    /** The current plans of these APIs. */
    public List<PlanEntity> plansOf(Collection<UUID> apiIds) {
        return session.createSelectionQuery("from PlanEntity where apiId in :apis and retiredAt is null"
                + " order by createdAt, id", PlanEntity.class).setParameter("apis", apiIds).getResultList();
    }

    /** API id and number of active subscriptions, for the APIs that have any. */
    public List<Object[]> activeSubscriberCounts() {
        return session.createSelectionQuery("select apiId, count(*) from SubscriptionEntity where status = 'active'"
                + " group by apiId", Object[].class).getResultList();
    }

    /** The ids of the APIs the consumer has an active subscription to. */
    public List<UUID> subscribedApis(UUID consumerId) {
        return session.createSelectionQuery("select apiId from SubscriptionEntity where consumerId = :consumer"
                + " and status = 'active'", UUID.class).setParameter("consumer", consumerId).getResultList();
    }

    public List<PlanEntity> allPlans() {
        return session.createSelectionQuery("from PlanEntity where retiredAt is null", PlanEntity.class)
                .getResultList();
    }

    /** Whether any subscription, ended or not, names the plan. */
    public boolean planEverSubscribed(UUID planId) {
        return session.createSelectionQuery("select count(*) from SubscriptionEntity where planId = :plan",
                Long.class).setParameter("plan", planId).getSingleResult() > 0;
    }

    public void remove(Object entity) {
        session.remove(entity);
    }

    // --- subscriptions ----------------------------------------------------------------------------

    public Optional<SubscriptionEntity> subscription(UUID id) {
        return Optional.ofNullable(session.find(SubscriptionEntity.class, id));
    }

    public Optional<SubscriptionEntity> activeSubscription(UUID consumerId, UUID apiId) {
        return session.createSelectionQuery("from SubscriptionEntity where activeKey = :key", SubscriptionEntity.class)
                .setParameter("key", SubscriptionEntity.activeKey(consumerId, apiId)).uniqueResultOptional();
    }

    public List<SubscriptionEntity> subscriptionsOf(UUID consumerId, boolean activeOnly) {
        return session.createSelectionQuery("from SubscriptionEntity where consumerId = :consumer"
                + (activeOnly ? " and status = 'active'" : "") + " order by createdAt, id", SubscriptionEntity.class)
                .setParameter("consumer", consumerId).getResultList();
    }

    public List<SubscriptionEntity> activeSubscriptions() {
        return session.createSelectionQuery("from SubscriptionEntity where status = 'active'",
                SubscriptionEntity.class).getResultList();
    }

    /** Active subscriptions whose paid period ended by {@code now}. */
    public List<UUID> subscriptionsDue(java.time.Instant now) {
        return session.createSelectionQuery("select id from SubscriptionEntity where status = 'active'"
                + " and currentPeriodEnd <= :now order by currentPeriodEnd", UUID.class).setParameter("now", now)
                .getResultList();
    }

    public long activeSubscriptionsOnPlan(UUID planId) {
        return session.createSelectionQuery(
                "select count(*) from SubscriptionEntity where planId = :plan and status = 'active'", Long.class)
                .setParameter("plan", planId).getSingleResult();
    }
}
