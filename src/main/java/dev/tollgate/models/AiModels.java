package dev.tollgate.models;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.gateway.Upstream;
import dev.tollgate.models.store.ChannelEntity;
import dev.tollgate.models.store.ModelEntity;
import dev.tollgate.models.store.ModelStore;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.SecretBox;
import dev.tollgate.platform.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The AI model catalogue (admin): create, list, read, change and delete models with their prices and channels.
 * Channel API keys are sealed with {@link SecretBox} before they are stored and are never returned. Every change is
 * in force on the AI proxy when the call returns (this node) or within a second (other nodes), through the
 * {@link #TOPIC} change topic.
 */
@ApplicationScoped
public class AiModels {

    private static final Logger LOG = Logger.getLogger(AiModels.class);

    public static final String TOPIC = "models";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,100}");
    static final int MAX_CHANNELS = 32;
    static final int MAX_OUTPUT_TOKENS = 10_000_000;
    static final int MAX_PRIORITY = 1_000_000;
    /** What a model does: {@code chat} (the default) or {@code embedding}. */
    public static final List<String> MODEL_TYPES = List.of("chat", "embedding");

    /** A model as sent by an admin; on update, a {@code null} field stays as it is and channels are replaced. */
    public record ModelDraft(String name, String displayName, Boolean enabled, String modelType,
            PricingDraft pricing, Integer maxOutputTokens, List<ChannelDraft> channels) {
    }

    /** Prices in currency units per million tokens. */
    public record PricingDraft(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
            BigDecimal cachedInputPerMillion) {
    }

    /**
     * A channel as sent; {@code id} names an existing channel of the model to keep its stored key when
     * {@code apiKey} is left out. {@link #toString} leaves the key out.
     */
    public record ChannelDraft(UUID id, String provider, String baseUrl, String apiKey, String upstreamModel,
            Integer priority, Integer weight) {

        @Override
        public String toString() {
            return "ChannelDraft[id=" + id + ", provider=" + provider + ", baseUrl=" + baseUrl + "]";
        }
    }

    /** One page of models and how many there are in all. */
    public record Page(List<ModelView> models, long total) {
    }

    private final ModelStore store;
    private final ChangeFeed changes;
    private final SecretBox secrets;
    private final Clock clock;
    private final boolean allowPrivateUpstreams;

    AiModels(ModelStore store, ChangeFeed changes, SecretBox secrets, Clock clock, GatewayConfig gateway) {
        this.store = store;
        this.changes = changes;
        this.secrets = secrets;
        this.clock = clock;
        this.allowPrivateUpstreams = gateway.allowPrivateUpstreams();
    }

    public ModelView create(UUID actorId, ModelDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        if (draft.name() == null) {
            errors.add(new FieldError("name", "is required"));
        }
        if (draft.pricing() == null) {
            errors.add(new FieldError("pricing", "is required"));
        }
        Validated valid = validate(errors, draft, Map.of());
        return Transactions.uniquely(() -> {
            if (store.nameTaken(draft.name(), new UUID(0, 0))) {
                throw ProblemException.conflict("A model named '" + draft.name() + "' exists already.");
            }
            Instant now = clock.instant();
            ModelEntity model = new ModelEntity();
            model.id = UUID.randomUUID();
            model.name = draft.name();
            model.displayName = draft.displayName() == null ? draft.name() : draft.displayName().trim();
            model.enabled = draft.enabled() == null || draft.enabled();
            model.modelType = draft.modelType() == null ? MODEL_TYPES.get(0) : draft.modelType();
            apply(model, valid);
            model.maxOutputTokens = draft.maxOutputTokens();
            model.createdAt = now;
            model.updatedAt = now;
            store.persist(model);
            List<ChannelEntity> channels = replaceChannels(model, valid.channels(), Map.of());
            requireChannelWhenEnabled(model, channels);
            store.flush();
            changes.changed(TOPIC);
            LOG.infof("AI model %s (%s) created by %s with %d channel(s)", model.id, model.name, actorId,
                    channels.size());
            return view(model, channels);
        }, "A model named '" + draft.name() + "' exists already.");
    }

    public Page list(int skip, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<ModelEntity> models = store.models(skip, limit);
            Map<UUID, List<ChannelEntity>> channels = channelsByModel(models);
            return new Page(models.stream().map(m -> view(m, channels.getOrDefault(m.id, List.of()))).toList(),
                    store.countModels());
        });
    }

    public ModelView get(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ModelEntity model = existing(id);
            return view(model, store.channelsOf(List.of(id)));
        });
    }

    public ModelView update(UUID actorId, UUID id, ModelDraft draft) {
        Map<UUID, String> sealedKeys = QuarkusTransaction.requiringNew().call(() -> {
            existing(id);
            Map<UUID, String> keys = new HashMap<>();
            for (ChannelEntity channel : store.channelsOf(List.of(id))) {
                keys.put(channel.id, channel.apiKeySealed == null ? "" : channel.apiKeySealed);
            }
            return keys;
        });
        Validated valid = validate(new ArrayList<>(), draft, sealedKeys);
        String conflict = "A model named '" + draft.name() + "' exists already.";
        return Transactions.uniquely(() -> {
            ModelEntity model = existing(id);
            if (draft.name() != null && !draft.name().equals(model.name) && store.nameTaken(draft.name(), id)) {
                throw ProblemException.conflict(conflict);
            }
            if (draft.name() != null) {
                model.name = draft.name();
            }
            if (draft.displayName() != null) {
                model.displayName = draft.displayName().trim();
            }
            if (draft.enabled() != null) {
                model.enabled = draft.enabled();
            }
            if (draft.modelType() != null) {
                model.modelType = draft.modelType();
            }
            if (draft.pricing() != null) {
                apply(model, valid);
            }
            if (draft.maxOutputTokens() != null) {
                model.maxOutputTokens = draft.maxOutputTokens();
            }
            List<ChannelEntity> channels = valid.channels() == null
                    ? store.channelsOf(List.of(id))
                    : replaceChannels(model, valid.channels(), channelsById(store.channelsOf(List.of(id))));
            requireChannelWhenEnabled(model, channels);
            model.updatedAt = clock.instant();
            store.flush();
            changes.changed(TOPIC);
            LOG.infof("AI model %s (%s) changed by %s", model.id, model.name, actorId);
            return view(model, channels);
        }, conflict);
    }

    public void delete(UUID actorId, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            ModelEntity model = existing(id);
            store.deleteModel(model);
            changes.changed(TOPIC);
            LOG.infof("AI model %s (%s) deleted by %s", model.id, model.name, actorId);
        });
    }

    // --- validation -------------------------------------------------------------------------------

    /** A channel ready to store: its key sealed (or the kept sealed key, or null for none). */
    private record ValidChannel(UUID id, AiProvider provider, String baseUrl, String apiKeySealed,
            String upstreamModel, int priority, int weight) {
    }

    private record Validated(long input, long output, Long cachedInput, List<ValidChannel> channels) {
    }

    /**
     * Checks the whole draft and throws a 422 naming every bad field. {@code storedKeys}: the model's current
     * channels' sealed keys by channel id ("" for none), which channels that give their id may keep.
     */
    private Validated validate(List<FieldError> errors, ModelDraft draft, Map<UUID, String> storedKeys) {
        if (draft.name() != null && !NAME.matcher(draft.name()).matches()) {
            errors.add(new FieldError("name", "must be 1 to 100 of A-Z, a-z, 0-9 and . _ : / -"));
        }
        if (draft.displayName() != null && (draft.displayName().isBlank() || draft.displayName().length() > 200)) {
            errors.add(new FieldError("display_name", "must be 1 to 200 characters"));
        }
        if (draft.modelType() != null && !MODEL_TYPES.contains(draft.modelType())) {
            errors.add(new FieldError("model_type", "must be chat or embedding"));
        }
        if (draft.maxOutputTokens() != null
                && (draft.maxOutputTokens() < 1 || draft.maxOutputTokens() > MAX_OUTPUT_TOKENS)) {
            errors.add(new FieldError("max_output_tokens", "must be 1 to " + MAX_OUTPUT_TOKENS));
        }
        long input = 0;
        long output = 0;
        Long cachedInput = null;
        if (draft.pricing() != null) {
            input = price(errors, "pricing.input_per_million", draft.pricing().inputPerMillion(), true);
            output = price(errors, "pricing.output_per_million", draft.pricing().outputPerMillion(), true);
            long cached = price(errors, "pricing.cached_input_per_million", draft.pricing().cachedInputPerMillion(),
                    false);
            cachedInput = draft.pricing().cachedInputPerMillion() == null ? null : cached;
        }
        List<ValidChannel> channels = null;
        if (draft.channels() != null) {
            channels = channels(errors, draft.channels(), storedKeys);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Validated(input, output, cachedInput, channels);
    }

    private static long price(List<FieldError> errors, String field, BigDecimal amount, boolean required) {
        if (amount == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return 0;
        }
        try {
            return Money.toMicros(amount);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return 0;
        }
    }

    private List<ValidChannel> channels(List<FieldError> errors, List<ChannelDraft> drafts,
            Map<UUID, String> storedKeys) {
        if (drafts.size() > MAX_CHANNELS) {
            errors.add(new FieldError("channels", "must be at most " + MAX_CHANNELS + " channels"));
            return List.of();
        }
        List<ValidChannel> valid = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < drafts.size(); i++) {
            String at = "channels[" + i + "]";
            ChannelDraft draft = drafts.get(i);
            if (draft == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            int before = errors.size();
            String storedKey = null;
            if (draft.id() != null) {
                storedKey = storedKeys.get(draft.id());
                if (storedKey == null) {
                    errors.add(new FieldError(at + ".id", "is not a channel of this model; leave it out for a new "
                            + "channel"));
                } else if (!seen.add(draft.id())) {
                    errors.add(new FieldError(at + ".id", "names the same channel as an earlier one"));
                }
            }
            AiProvider provider = null;
            if (draft.provider() == null) {
                errors.add(new FieldError(at + ".provider", "is required"));
            } else {
                provider = AiProvider.parse(draft.provider()).orElse(null);
                if (provider == null) {
                    errors.add(new FieldError(at + ".provider", "must be openai, anthropic or openai_compatible"));
                }
            }
            if (draft.baseUrl() == null || draft.baseUrl().isBlank()) {
                errors.add(new FieldError(at + ".base_url", "is required"));
            } else {
                String problem = Upstream.problemWith(draft.baseUrl(), allowPrivateUpstreams);
                if (problem != null) {
                    errors.add(new FieldError(at + ".base_url", problem));
                }
            }
            if (draft.apiKey() != null && (draft.apiKey().isBlank() || draft.apiKey().length() > 4096
                    || !draft.apiKey().equals(draft.apiKey().strip()))) {
                errors.add(new FieldError(at + ".api_key",
                        "must be 1 to 4096 characters without leading or trailing spaces"));
            }
            boolean keyKept = draft.apiKey() == null && storedKey != null && !storedKey.isEmpty();
            if (draft.apiKey() == null && !keyKept && provider != null && provider != AiProvider.OPENAI_COMPATIBLE) {
                errors.add(new FieldError(at + ".api_key", "is required for a " + provider.id() + " channel"));
            }
            if (draft.upstreamModel() == null || draft.upstreamModel().isBlank()
                    || draft.upstreamModel().length() > 200) {
                errors.add(new FieldError(at + ".upstream_model", "is required, 1 to 200 characters"));
            }
            int priority = draft.priority() == null ? 0 : draft.priority();
            if (Math.abs((long) priority) > MAX_PRIORITY) {
                errors.add(new FieldError(at + ".priority", "must be -" + MAX_PRIORITY + " to " + MAX_PRIORITY
                        + " (lower is tried first)"));
            }
            int weight = draft.weight() == null ? 1 : draft.weight();
            if (weight < 1 || weight > 1000) {
                errors.add(new FieldError(at + ".weight", "must be 1 to 1000"));
            }
            if (errors.size() > before) {
                continue;
            }
            UUID channelId = draft.id() == null ? UUID.randomUUID() : draft.id();
            String sealed = draft.apiKey() != null
                    ? secrets.seal(draft.apiKey(), sealedFor(channelId))
                    : keyKept ? storedKey : null;
            valid.add(new ValidChannel(channelId, provider,
                    draft.baseUrl().trim(), sealed, draft.upstreamModel().trim(), priority, weight));
        }
        return valid;
    }

    /** The owner a channel's key is sealed for: a sealed key copied to another channel's row does not open there. */
    public static String sealedFor(UUID channelId) {
        return "ai-channel:" + channelId;
    }

    private static void requireChannelWhenEnabled(ModelEntity model, List<ChannelEntity> channels) {
        if (model.enabled && channels.isEmpty()) {
            throw ProblemException.invalid("channels", "an enabled model needs at least one channel");
        }
    }

    // --- writing ----------------------------------------------------------------------------------

    private static void apply(ModelEntity model, Validated valid) {
        model.inputPerMillion = valid.input();
        model.outputPerMillion = valid.output();
        model.cachedInputPerMillion = valid.cachedInput();
    }

    /** Makes the model's channels exactly {@code wanted}: kept ones updated in place, others removed or added. */
    private List<ChannelEntity> replaceChannels(ModelEntity model, List<ValidChannel> wanted,
            Map<UUID, ChannelEntity> current) {
        Map<UUID, ChannelEntity> left = new HashMap<>(current);
        List<ChannelEntity> result = new ArrayList<>();
        for (int position = 0; position < wanted.size(); position++) {
            ValidChannel channel = wanted.get(position);
            ChannelEntity entity = left.remove(channel.id());
            boolean added = entity == null;
            if (added) {
                entity = new ChannelEntity();
                entity.id = channel.id();
                entity.modelId = model.id;
            }
            entity.provider = channel.provider().id();
            entity.baseUrl = channel.baseUrl();
            entity.apiKeySealed = channel.apiKeySealed();
            entity.upstreamModel = channel.upstreamModel();
            entity.priority = channel.priority();
            entity.weight = channel.weight();
            entity.position = position;
            if (added) {
                // the insert carries the state at persist time
                store.persist(entity);
            }
            result.add(entity);
        }
        left.values().forEach(store::remove);
        return result;
    }

    // --- reading ----------------------------------------------------------------------------------

    private ModelEntity existing(UUID id) {
        return store.model(id).orElseThrow(() -> ProblemException.notFound("No AI model has the id " + id + "."));
    }

    private Map<UUID, List<ChannelEntity>> channelsByModel(List<ModelEntity> models) {
        Map<UUID, List<ChannelEntity>> byModel = new HashMap<>();
        for (ChannelEntity channel : store.channelsOf(models.stream().map(m -> m.id).toList())) {
            byModel.computeIfAbsent(channel.modelId, k -> new ArrayList<>()).add(channel);
        }
        return byModel;
    }

    private static Map<UUID, ChannelEntity> channelsById(List<ChannelEntity> channels) {
        Map<UUID, ChannelEntity> byId = new HashMap<>();
        channels.forEach(c -> byId.put(c.id, c));
        return byId;
    }

    static ModelView view(ModelEntity model, List<ChannelEntity> channels) {
        return new ModelView(model.id, model.name, model.displayName, model.enabled, model.modelType,
                new ModelView.Pricing(Money.fromMicros(model.inputPerMillion), Money.fromMicros(model.outputPerMillion),
                        model.cachedInputPerMillion == null ? null : Money.fromMicros(model.cachedInputPerMillion)),
                model.maxOutputTokens,
                channels.stream().map(c -> new ModelView.Channel(c.id, c.provider, c.baseUrl, c.apiKeySealed != null,
                        c.upstreamModel, c.priority, c.weight)).toList(),
                model.createdAt, model.updatedAt);
    }
}
