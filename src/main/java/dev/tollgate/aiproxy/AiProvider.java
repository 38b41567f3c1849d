package dev.tollgate.aiproxy;

import java.util.Optional;

/** The wire protocol a model channel speaks to its upstream. */
public enum AiProvider {
    /** OpenAI's own API (Chat Completions, Embeddings). */
    OPENAI("openai"),
    /** Anthropic's Messages API. */
    ANTHROPIC("anthropic"),
    /** Any server that speaks OpenAI's protocol (vLLM, Ollama, OpenRouter, ...). */
    OPENAI_COMPATIBLE("openai_compatible");

    private final String id;

    AiProvider(String id) {
        this.id = id;
    }

    /** The name used in JSON and the database. */
    public String id() {
        return id;
    }

    public static Optional<AiProvider> parse(String id) {
        for (AiProvider provider : values()) {
            if (provider.id.equals(id)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }
}
