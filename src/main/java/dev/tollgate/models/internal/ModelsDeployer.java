package dev.tollgate.models.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.aiproxy.AiState;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.models.AiModels;
import dev.tollgate.models.store.ChannelEntity;
import dev.tollgate.models.store.ModelEntity;
import dev.tollgate.models.store.ModelStore;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.SecretBox;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes the enabled models with their channels to the AI proxy at start-up and on every model change. Channel
 * keys are opened here, so the data plane holds them decrypted in memory only. A channel whose key does not open
 * (another {@code TOLLGATE_ENCRYPTION_KEY}, a changed row) or whose URL is unusable is left off, and said so in the
 * log without the key.
 */
@ApplicationScoped
class ModelsDeployer {

    private static final Logger LOG = Logger.getLogger(ModelsDeployer.class);

    private final ModelStore store;
    private final AiState ai;
    private final ChangeFeed changes;
    private final SecretBox secrets;

    ModelsDeployer(ModelStore store, AiState ai, ChangeFeed changes, SecretBox secrets) {
        this.store = store;
        this.ai = ai;
        this.changes = changes;
        this.secrets = secrets;
    }

    void start(@Observes StartupEvent ignored) {
        changes.subscribe(AiModels.TOPIC, version -> {
            long loaded = version.getAsLong();
            AiState.Models models = load();
            ai.publish(models);
            LOG.debugf("Models snapshot %d published: %d enabled models", loaded, models.byName().size());
        });
    }

    private AiState.Models load() {
        List<ModelEntity> models = store.enabledModels();
        Map<UUID, List<ModelRoute.Channel>> channels = new HashMap<>();
        for (ChannelEntity channel : store.channelsOf(models.stream().map(m -> m.id).toList())) {
            ModelRoute.Channel route = route(channel);
            if (route != null) {
                channels.computeIfAbsent(channel.modelId, k -> new ArrayList<>()).add(route);
            }
        }
        Map<String, ModelRoute> byName = new HashMap<>();
        for (ModelEntity model : models) {
            byName.put(model.name, new ModelRoute(model.id, model.name, model.displayName, model.inputPerMillion,
                    model.outputPerMillion, model.cachedInputPerMillion == null ? -1 : model.cachedInputPerMillion,
                    model.maxOutputTokens == null ? 0 : model.maxOutputTokens, model.createdAt.getEpochSecond(),
                    channels.getOrDefault(model.id, List.of())));
        }
        return new AiState.Models(byName);
    }

    private ModelRoute.Channel route(ChannelEntity channel) {
        ChannelRoutes.Opened opened = ChannelRoutes.open(channel, secrets);
        if (opened.channel() == null) {
            LOG.errorf("Channel %s of model %s %s; it is left off", channel.id, channel.modelId, opened.problem());
        }
        return opened.channel();
    }
}
