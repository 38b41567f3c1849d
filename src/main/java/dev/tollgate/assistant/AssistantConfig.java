package dev.tollgate.assistant;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The assistant's settings. The model is the one generation uses ({@code tollgate.hosted.generator-model},
 * {@code TOLLGATE_GENERATOR_MODEL}): one of the AI proxy's model names ({@code GET /v1/models}); optional — without it
 * the assistant answers {@code 503} saying how to set it.
 */
@ConfigMapping(prefix = "tollgate.hosted")
public interface AssistantConfig {

    /** The AI model that answers (and generates APIs); empty: not configured. */
    Optional<String> generatorModel();
}
