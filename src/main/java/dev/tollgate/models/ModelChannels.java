package dev.tollgate.models;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.aiproxy.ChannelHealth;
import dev.tollgate.aiproxy.ChannelProbe;
import dev.tollgate.models.internal.ChannelRoutes;
import dev.tollgate.models.store.ChannelEntity;
import dev.tollgate.models.store.ModelEntity;
import dev.tollgate.models.store.ModelStore;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.SecretBox;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What admins see of, and can do with, a model's channels beyond the catalogue: each channel's health as this node's
 * circuit breakers see it, and a test call to each channel. Channels are taken from the database (disabled models
 * too), in the proxy's order of preference; keys are opened here and never shown.
 */
@ApplicationScoped
public class ModelChannels {

    private static final Logger LOG = Logger.getLogger(ModelChannels.class);
    static final int MAX_PROMPT = 4000;

    /**
     * One channel's health on this node: circuit {@code state} ({@code closed}, {@code open}, {@code half_open}),
     * failures in a row, the last failure, the latency of the last answered call (null if none yet) and the calls
     * and failures counted since the node started.
     */
    public record ChannelHealthView(UUID channelId, String provider, String baseUrl, String upstreamModel,
            int priority, int weight, String state, int consecutiveFailures,
            @JsonInclude(JsonInclude.Include.ALWAYS) String lastError,
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastErrorAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) Long lastLatencyMs,
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant openedAt, long calls, long failures) {
    }

    /** What to test: one channel of the model (null: all) with a prompt (null: {@value ChannelProbe#DEFAULT_PROMPT}). */
    public record TestDraft(UUID channelId, String prompt) {
    }

    /** The outcome per channel, in the order of preference. */
    public record TestResults(List<ChannelProbe.Result> results) {
    }

    private record Loaded(ModelEntity model, List<ChannelEntity> channels) {
    }

    private final ModelStore store;
    private final ChannelHealth health;
    private final ChannelProbe probe;
    private final SecretBox secrets;

    ModelChannels(ModelStore store, ChannelHealth health, ChannelProbe probe, SecretBox secrets) {
        this.store = store;
        this.health = health;
        this.probe = probe;
        this.secrets = secrets;
    }

    public List<ChannelHealthView> health(UUID modelId) {
        return load(modelId).channels().stream().map(channel -> {
            ChannelHealth.View view = health.view(channel.id);
            return new ChannelHealthView(channel.id, channel.provider, channel.baseUrl, channel.upstreamModel,
                    channel.priority, channel.weight, view.state(), view.consecutiveFailures(), view.lastError(),
                    view.lastErrorAt(), view.lastLatencyMs() < 0 ? null : view.lastLatencyMs(), view.openedAt(),
                    view.calls(), view.failures());
        }).toList();
    }

    /**
     * Sends a test call to each channel of the model (or the one named), all at once; completes when every one has
     * answered, failed or timed out ({@code tollgate.ai.upstream-timeout}).
     */
    public CompletionStage<TestResults> test(UUID actorId, UUID modelId, TestDraft draft) {
        String prompt = draft == null || draft.prompt() == null ? ChannelProbe.DEFAULT_PROMPT : draft.prompt();
        if (prompt.isBlank() || prompt.length() > MAX_PROMPT) {
            throw ProblemException.invalid("prompt", "must be 1 to " + MAX_PROMPT + " characters, not only spaces");
        }
        Loaded loaded = load(modelId);
        List<ChannelEntity> channels = loaded.channels();
        if (draft != null && draft.channelId() != null) {
            channels = channels.stream().filter(c -> c.id.equals(draft.channelId())).toList();
            if (channels.isEmpty()) {
                throw ProblemException.invalid("channel_id", "is not a channel of this model");
            }
        }
        boolean embedding = "embedding".equals(loaded.model().modelType);
        List<CompletableFuture<ChannelProbe.Result>> calls = new ArrayList<>();
        for (ChannelEntity channel : channels) {
            ChannelRoutes.Opened opened = ChannelRoutes.open(channel, secrets);
            calls.add(opened.channel() == null
                    ? CompletableFuture.completedFuture(ChannelProbe.Result.notCalled(channel.id, channel.provider,
                            "the channel " + opened.problem()))
                    : probe.probe(opened.channel(), prompt, embedding).toCompletableFuture());
        }
        LOG.infof("Test call to %d channel(s) of AI model %s by %s", calls.size(), modelId, actorId);
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(done -> new TestResults(calls.stream().map(CompletableFuture::join).toList()));
    }

    private Loaded load(UUID modelId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ModelEntity model = store.model(modelId)
                    .orElseThrow(() -> ProblemException.notFound("No AI model has the id " + modelId + "."));
            List<ChannelEntity> channels = new ArrayList<>(store.channelsOf(List.of(modelId)));
            channels.sort(ChannelRoutes.PREFERENCE);
            return new Loaded(model, channels);
        });
    }
}
