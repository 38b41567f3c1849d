package dev.tollgate.models;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.aiproxy.AiProvider;
import dev.tollgate.aiproxy.FineTuningJobs;
import dev.tollgate.aiproxy.ModelRoute;
import dev.tollgate.models.internal.ChannelRoutes;
import dev.tollgate.models.store.ChannelEntity;
import dev.tollgate.models.store.ModelEntity;
import dev.tollgate.models.store.ModelStore;
import dev.tollgate.models.store.TrainingJobEntity;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.SecretBox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.json.JsonObject;

/**
 * Fine-tuning jobs (seed 004's {@code POST /api/v1/ai/train}): started for a user at the first channel of a model
 * whose provider has a fine-tuning API (OpenAI's protocol), recorded, and brought up to date from the provider each
 * time the job is read until it has ended. Nothing is billed for them (the provider bills the platform's account).
 */
@ApplicationScoped
public class AiTraining {

    private static final Logger LOG = Logger.getLogger(AiTraining.class);
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The provider's statuses after which a job does not change. */
    static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");
    private static final Set<String> INTEGER_HYPERPARAMETERS = Set.of("batch_size", "n_epochs");
    private static final Set<String> HYPERPARAMETERS = Set.of("batch_size", "n_epochs", "learning_rate_multiplier");

    /** A job as sent by a user; {@code hyperparameters} values are {@code "auto"} or a positive number. */
    public record TrainingDraft(String modelId, String trainingFile, String validationFile,
            Map<String, Object> hyperparameters, String suffix) {
    }

    /**
     * A job: {@code model_id} is the model's public name, {@code status} the provider's ({@code validating_files},
     * {@code queued}, {@code running}, {@code succeeded}, {@code failed}, {@code cancelled}).
     */
    public record TrainingJobView(UUID id, String modelId, String status, String upstreamJobId,
            @JsonInclude(JsonInclude.Include.ALWAYS) String fineTunedModel,
            @JsonInclude(JsonInclude.Include.ALWAYS) String error, Instant createdAt, Instant updatedAt) {
    }

    private record Target(ModelEntity model, ModelRoute.Channel channel) {
    }

    private final ModelStore store;
    private final FineTuningJobs jobs;
    private final SecretBox secrets;
    private final Clock clock;

    AiTraining(ModelStore store, FineTuningJobs jobs, SecretBox secrets, Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.secrets = secrets;
        this.clock = clock;
    }

    public TrainingJobView start(UUID userId, TrainingDraft draft) {
        JsonObject request = validate(draft);
        Target target = QuarkusTransaction.requiringNew().call(() -> target(draft.modelId()));
        FineTuningJobs.Job job = await(jobs.create(target.channel(), request));
        Instant now = clock.instant();
        TrainingJobEntity entity = new TrainingJobEntity();
        entity.id = UUID.randomUUID();
        entity.userId = userId;
        entity.modelId = target.model().id;
        entity.modelName = target.model().name;
        entity.channelId = target.channel().id();
        entity.upstreamJobId = job.id();
        entity.status = job.status();
        entity.fineTunedModel = job.fineTunedModel();
        entity.error = job.error();
        entity.createdAt = now;
        entity.updatedAt = now;
        try {
            QuarkusTransaction.requiringNew().run(() -> store.persist(entity));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Fine-tuning job %s was created at channel %s for user %s but could not be recorded",
                    job.id(), target.channel().id(), userId);
            throw e;
        }
        LOG.infof("Fine-tuning job %s (%s) of model %s started by %s at channel %s", entity.id, job.id(),
                entity.modelName, userId, entity.channelId);
        return view(entity);
    }

    /**
     * The job, brought up to date from the provider unless it has ended. Only its owner and admins see it; to anyone
     * else it does not exist.
     */
    public TrainingJobView get(UUID callerId, boolean admin, UUID id) {
        ProblemException notFound = ProblemException.notFound("No training job has the id " + id + ".");
        TrainingJobEntity job = QuarkusTransaction.requiringNew().call(() -> store.trainingJob(id)
                .filter(j -> admin || j.userId.equals(callerId)).orElseThrow(() -> notFound));
        if (ENDED.contains(job.status)) {
            return view(job);
        }
        ModelRoute.Channel channel = QuarkusTransaction.requiringNew().call(() -> {
            ChannelEntity stored = store.channel(job.channelId).orElseThrow(() -> badGateway("The channel that runs "
                    + "this job was removed from the model; its state cannot be read any more."));
            ChannelRoutes.Opened opened = ChannelRoutes.open(stored, secrets);
            if (opened.channel() == null) {
                throw badGateway("The channel that runs this job cannot be used: it " + opened.problem() + ".");
            }
            return opened.channel();
        });
        FineTuningJobs.Job current = await(jobs.retrieve(channel, job.upstreamJobId));
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingJobEntity stored = store.trainingJob(id).orElseThrow(() -> notFound);
            stored.status = current.status();
            stored.fineTunedModel = current.fineTunedModel();
            stored.error = current.error();
            stored.updatedAt = clock.instant();
            return view(stored);
        });
    }

    private Target target(String modelName) {
        ModelEntity model = store.modelByName(modelName).filter(m -> m.enabled).orElseThrow(() -> ProblemException
                .notFound("No AI model is named '" + modelName + "'; GET /api/v1/ai/models lists them."));
        List<ChannelEntity> channels = new ArrayList<>(store.channelsOf(List.of(model.id)));
        channels.sort(ChannelRoutes.PREFERENCE);
        List<ChannelEntity> capable = channels.stream()
                .filter(c -> AiProvider.parse(c.provider).map(FineTuningJobs::supports).orElse(false)).toList();
        if (capable.isEmpty()) {
            throw new ProblemException(501, "Not Implemented", "The model '" + modelName
                    + "' cannot be fine-tuned: this model's providers offer no fine-tuning API.");
        }
        for (ChannelEntity channel : capable) {
            ChannelRoutes.Opened opened = ChannelRoutes.open(channel, secrets);
            if (opened.channel() != null) {
                return new Target(model, opened.channel());
            }
            LOG.errorf("Channel %s of model %s %s; not used for fine-tuning", channel.id, model.id, opened.problem());
        }
        throw badGateway("No channel of the model '" + modelName + "' that could fine-tune it is usable now.");
    }

    private static JsonObject validate(TrainingDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        if (draft.modelId() == null || draft.modelId().isBlank()) {
            errors.add(new FieldError("model_id", "is required"));
        } else if (!AiModels.NAME.matcher(draft.modelId()).matches()) {
            errors.add(new FieldError("model_id", "must be a model's name (1 to 100 of A-Z, a-z, 0-9 and . _ : / -)"));
        }
        if (draft.trainingFile() == null) {
            errors.add(new FieldError("training_file", "is required: the id of an uploaded file at the provider"));
        } else if (!FILE_ID.matcher(draft.trainingFile()).matches()) {
            errors.add(new FieldError("training_file", "must be a file id: 1 to 200 of A-Z, a-z, 0-9 and . _ : -"));
        }
        if (draft.validationFile() != null && !FILE_ID.matcher(draft.validationFile()).matches()) {
            errors.add(new FieldError("validation_file", "must be a file id: 1 to 200 of A-Z, a-z, 0-9 and . _ : -"));
        }
        if (draft.suffix() != null && !SUFFIX.matcher(draft.suffix()).matches()) {
            errors.add(new FieldError("suffix", "must be 1 to 64 of A-Z, a-z, 0-9 and . _ -"));
        }
        JsonObject hyperparameters = new JsonObject();
        if (draft.hyperparameters() != null) {
            draft.hyperparameters().forEach((name, value) -> {
                String field = "hyperparameters." + name;
                if (!HYPERPARAMETERS.contains(name)) {
                    errors.add(new FieldError(field, "is not one of batch_size, learning_rate_multiplier, n_epochs"));
                } else if ("auto".equals(value)) {
                    hyperparameters.put(name, value);
                } else if (value instanceof Number number && positive(number, INTEGER_HYPERPARAMETERS.contains(name))) {
                    hyperparameters.put(name, value);
                } else {
                    errors.add(new FieldError(field, INTEGER_HYPERPARAMETERS.contains(name)
                            ? "must be \"auto\" or a positive integer"
                            : "must be \"auto\" or a positive number"));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        JsonObject request = new JsonObject().put("training_file", draft.trainingFile());
        if (draft.validationFile() != null) {
            request.put("validation_file", draft.validationFile());
        }
        if (!hyperparameters.isEmpty()) {
            request.put("hyperparameters", hyperparameters);
        }
        if (draft.suffix() != null) {
            request.put("suffix", draft.suffix());
        }
        return request;
    }

    private static boolean positive(Number number, boolean integer) {
        BigDecimal value = new BigDecimal(number.toString());
        if (value.signum() <= 0 || value.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            return false;
        }
        return !integer || value.stripTrailingZeros().scale() <= 0;
    }

    /** The provider's answer; a failure to get one is a 502 whose detail says why (never with a key). */
    private static FineTuningJobs.Job await(CompletionStage<FineTuningJobs.Job> call) {
        try {
            return call.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof FineTuningJobs.Failure failure) {
                throw badGateway(failure.getMessage());
            }
            throw e;
        }
    }

    private static ProblemException badGateway(String detail) {
        return new ProblemException(502, "Bad Gateway", detail);
    }

    private static TrainingJobView view(TrainingJobEntity job) {
        return new TrainingJobView(job.id, job.modelName, job.status, job.upstreamJobId, job.fineTunedModel, job.error,
                job.createdAt, job.updatedAt);
    }
}
