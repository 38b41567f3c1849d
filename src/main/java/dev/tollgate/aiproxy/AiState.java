package dev.tollgate.aiproxy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

/**
 * The AI proxy's view of the control plane: an immutable snapshot of the enabled models, replaced whole by the models
 * feature whenever a model changes (through the {@code models} change topic). The data plane reads only this. A
 * {@code @Singleton} (no client proxy) because it is read on every AI call.
 */
@Singleton
public class AiState {

    /** Every enabled model by its public name, and the same models sorted by name. */
    public record Models(Map<String, ModelRoute> byName, List<ModelRoute> sortedByName) {

        public Models(Map<String, ModelRoute> byName) {
            this(byName, byName.values().stream().sorted(Comparator.comparing(ModelRoute::name)).toList());
        }

        public Models {
            byName = Map.copyOf(byName);
            sortedByName = List.copyOf(sortedByName);
        }
    }

    private volatile Models models = new Models(Map.of());

    public void publish(Models next) {
        models = next;
    }

    public Models models() {
        return models;
    }
}
