package dev.tollgate.models.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

/** Database access for AI models and their channels. Callers own the transaction. */
@ApplicationScoped
public class ModelStore {

    private final Session session;

    ModelStore(Session session) {
        this.session = session;
    }

    public void persist(Object entity) {
        session.persist(entity);
    }

    public void remove(Object entity) {
        session.remove(entity);
    }

    public void flush() {
        session.flush();
    }

    public Optional<ModelEntity> model(UUID id) {
        return Optional.ofNullable(session.find(ModelEntity.class, id));
    }

    public boolean nameTaken(String name, UUID except) {
        return session.createSelectionQuery("select count(*) from ModelEntity where name = :name and id <> :except",
                Long.class).setParameter("name", name).setParameter("except", except).getSingleResult() > 0;
    }

    public List<ModelEntity> models(int skip, int limit) {
        return session.createSelectionQuery("from ModelEntity order by name, id", ModelEntity.class)
                .setFirstResult(skip).setMaxResults(limit).getResultList();
    }

    public long countModels() {
        return session.createSelectionQuery("select count(*) from ModelEntity", Long.class).getSingleResult();
    }

    public List<ModelEntity> enabledModels() {
        return session.createSelectionQuery("from ModelEntity where enabled = true", ModelEntity.class)
                .getResultList();
    }

    /**
     * Enabled models by name, optionally only those of {@code modelType} and those with a channel of
     * {@code provider} (null: any).
     */
    public List<ModelEntity> enabledModels(String provider, String modelType, int skip, int limit) {
        var query = session.createSelectionQuery("from ModelEntity m where " + catalogue(provider, modelType)
                + " order by m.name, m.id", ModelEntity.class);
        bind(query, provider, modelType);
        return query.setFirstResult(skip).setMaxResults(limit).getResultList();
    }

    public long countEnabledModels(String provider, String modelType) {
        var query = session.createSelectionQuery("select count(*) from ModelEntity m where "
                + catalogue(provider, modelType), Long.class);
        bind(query, provider, modelType);
        return query.getSingleResult();
    }

    // the filters are left out rather than bound as null: PostgreSQL cannot type a null parameter in "? is null"
    private static String catalogue(String provider, String modelType) {
        return "m.enabled = true" + (modelType == null ? "" : " and m.modelType = :type")
                + (provider == null
                        ? ""
                        : " and exists (select 1 from ChannelEntity c where c.modelId = m.id and c.provider = "
                                + ":provider)");
    }

    private static void bind(SelectionQuery<?> query, String provider, String modelType) {
        if (modelType != null) {
            query.setParameter("type", modelType);
        }
        if (provider != null) {
            query.setParameter("provider", provider);
        }
    }

    public Optional<ModelEntity> modelByName(String name) {
        return session.createSelectionQuery("from ModelEntity where name = :name", ModelEntity.class)
                .setParameter("name", name).getResultStream().findFirst();
    }

    public Optional<ChannelEntity> channel(UUID id) {
        return Optional.ofNullable(session.find(ChannelEntity.class, id));
    }

    public Optional<TrainingJobEntity> trainingJob(UUID id) {
        return Optional.ofNullable(session.find(TrainingJobEntity.class, id));
    }

    /** The channels of these models, in the order they were given. */
    public List<ChannelEntity> channelsOf(List<UUID> modelIds) {
        return modelIds.isEmpty()
                ? List.of()
                : session.createSelectionQuery("from ChannelEntity where modelId in :ids order by modelId, position",
                        ChannelEntity.class).setParameter("ids", modelIds).getResultList();
    }

    public void deleteChannelsOf(UUID modelId) {
        session.createMutationQuery("delete from ChannelEntity where modelId = :model").setParameter("model", modelId)
                .executeUpdate();
    }

    public void deleteModel(ModelEntity model) {
        deleteChannelsOf(model.id);
        session.remove(model);
    }
}
