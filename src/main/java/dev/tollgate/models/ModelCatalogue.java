package dev.tollgate.models;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.models.internal.ChannelRoutes;
import dev.tollgate.models.store.ChannelEntity;
import dev.tollgate.models.store.ModelEntity;
import dev.tollgate.models.store.ModelStore;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** The models users can call (seed 004's {@code GET /api/v1/ai/models}): enabled ones, without channel details. */
@ApplicationScoped
public class ModelCatalogue {

    /**
     * A model as users see it: {@code id} is the public name sent as {@code model}; {@code providers} are its
     * channels' providers in the order they are tried, each once.
     */
    public record Entry(String id, String displayName, String modelType, List<String> providers,
            ModelView.Pricing pricing, @JsonInclude(JsonInclude.Include.ALWAYS) Integer maxOutputTokens) {
    }

    /** One page of entries and how many match in all. */
    public record Page(List<Entry> models, long total) {
    }

    private final ModelStore store;

    ModelCatalogue(ModelStore store) {
        this.store = store;
    }

    /** {@code provider} and {@code modelType} filter when not null; unknown values are a 422. */
    public Page list(String provider, String modelType, int skip, int limit) {
        List<FieldError> errors = new ArrayList<>();
        if (provider != null && AiProvider.parse(provider).isEmpty()) {
            errors.add(new FieldError("provider", "must be openai, anthropic or openai_compatible"));
        }
        if (modelType != null && !AiModels.MODEL_TYPES.contains(modelType)) {
            errors.add(new FieldError("model_type", "must be chat or embedding"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return QuarkusTransaction.requiringNew().call(() -> new Page(
                entries(store.enabledModels(provider, modelType, skip, limit)).stream().map(Listed::entry).toList(),
                store.countEnabledModels(provider, modelType)));
    }

    /** An enabled model with its id (the {@code api_id} of its usage) and when it was added. */
    public record Listed(UUID id, Entry entry, Instant createdAt) {
    }

    /** Every enabled model (the marketplace lists them). */
    public List<Listed> enabled() {
        return QuarkusTransaction.requiringNew().call(() -> entries(store.enabledModels()));
    }

    private List<Listed> entries(List<ModelEntity> models) {
        Map<UUID, List<ChannelEntity>> channels = new HashMap<>();
        for (ChannelEntity channel : store.channelsOf(models.stream().map(m -> m.id).toList())) {
            channels.computeIfAbsent(channel.modelId, k -> new ArrayList<>()).add(channel);
        }
        List<Listed> entries = new ArrayList<>();
        for (ModelEntity model : models) {
            List<ChannelEntity> ordered = new ArrayList<>(channels.getOrDefault(model.id, List.of()));
            ordered.sort(ChannelRoutes.PREFERENCE);
            Set<String> providers = new LinkedHashSet<>();
            ordered.forEach(c -> providers.add(c.provider));
            entries.add(new Listed(model.id, new Entry(model.name, model.displayName, model.modelType,
                    List.copyOf(providers), new ModelView.Pricing(Money.fromMicros(model.inputPerMillion),
                            Money.fromMicros(model.outputPerMillion),
                            model.cachedInputPerMillion == null ? null : Money.fromMicros(model.cachedInputPerMillion)),
                    model.maxOutputTokens), model.createdAt));
        }
        return entries;
    }
}
