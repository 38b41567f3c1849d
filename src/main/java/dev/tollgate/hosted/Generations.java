package dev.tollgate.hosted;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.aiproxy.ModelCalls;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiCatalog.ApiDraft;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.hosted.internal.GeneratorPrompts;
import dev.tollgate.hosted.store.GenerationJobEntity;
import dev.tollgate.hosted.store.HostedStore;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.TierValues;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * APIs from a plain-English description. {@code start} checks the generator model and the user's monthly allowance
 * and queues a job; the job asks the model ({@code TOLLGATE_GENERATOR_MODEL}, any of the AI proxy's models) for code
 * in the handler contract with example requests, runs the examples in the sandbox, and hands the failures back to the
 * model to repair, up to {@code tollgate.hosted.generation.repairs} times. The result is stored as a draft version of a
 * hosted API (created for the job unless it names one), {@code ready} when every example passed, else {@code failed};
 * deploying it is a separate step ({@code POST /api/v1/deploy {api_id, version}}). Every model call is paid from the
 * user's credit at the model's price ({@link ModelCalls}); the job's progress is kept in its row, so any node can show
 * it. A user runs one generation at a time (two threads serve everyone's jobs).
 */
@ApplicationScoped
public class Generations {

    private static final Logger LOG = Logger.getLogger(Generations.class);
    static final int MAX_PROMPT_CHARS = 4_000;
    /** The longest wait for one answer of the generator model (each channel has its own upstream timeout too). */
    static final java.time.Duration MODEL_CALL_TIMEOUT = java.time.Duration.ofMinutes(5);

    /** A user's generations this month against their tier's allowance (0 = no limit). */
    public record Allowance(String tier, long used, long limit, String period) {
    }

    private final HostedStore store;
    private final HostedApis hosted;
    private final ApiCatalog catalog;
    private final ModelCalls models;
    private final UserDirectory users;
    private final HostedConfig config;
    private final ObjectMapper json;
    private final TierValues monthlyLimits;
    private final ExecutorService runner;
    private final Clock clock;

    Generations(HostedStore store, HostedApis hosted, ApiCatalog catalog, ModelCalls models, UserDirectory users,
            HostedConfig config, ObjectMapper json, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.hosted = hosted;
        this.catalog = catalog;
        this.models = models;
        this.users = users;
        this.config = config;
        this.json = json;
        this.monthlyLimits = TierValues.parse("TOLLGATE_GENERATION_LIMITS", config.generation().monthlyLimits());
        AtomicInteger counter = new AtomicInteger();
        this.runner = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "tollgate-generation-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Jobs left queued or running when the process stopped will never finish (they run in this process): they are
     * marked failed, so nobody waits on them. One node runs generation jobs for now; with several, each node would
     * mark only its own.
     */
    void recover(@Observes StartupEvent ignored) {
        int stopped = QuarkusTransaction.requiringNew().call(() -> store.failUnfinishedJobs(clock.instant(),
                "Tollgate restarted while this job ran; start it again"));
        if (stopped > 0) {
            LOG.warnf("%d generation jobs were unfinished at start-up and are marked failed", stopped);
        }
    }

    /**
     * Queues a generation for the user: {@code apiId} (a hosted API they manage) gets the result as its next
     * version, else a new hosted API named {@code name} (or after the prompt) is created for it.
     *
     * @throws ProblemException 503 without a generator model, 429 over the monthly allowance, 422 for bad input
     */
    public GenerationView start(Actor actor, String prompt, String name, UUID apiId) {
        String model = requireModel();
        if (prompt == null || prompt.isBlank() || prompt.length() > MAX_PROMPT_CHARS) {
            throw ProblemException.invalid("prompt", "must be 1 to " + MAX_PROMPT_CHARS + " characters");
        }
        if (name != null && (name.isBlank() || name.length() > 100)) {
            throw ProblemException.invalid("name", "must be 1 to 100 characters");
        }
        if (apiId != null) {
            hosted.managedHosted(apiId, actor, "generate a version of it");
        }
        Allowance allowance = allowance(actor.userId());
        GenerationJobEntity job = QuarkusTransaction.requiringNew().call(() -> {
            // two starts of one user at the same instant may both pass the count: the allowance is a budget, not money
            if (allowance.limit() > 0 && store.jobsSince(actor.userId(), monthStart()) >= allowance.limit()) {
                throw ProblemException.tooManyRequests("You have used the " + allowance.limit() + " API"
                        + " generations of the " + allowance.tier() + " tier this month (" + allowance.period()
                        + "); upgrade your plan or wait for next month.", secondsToNextMonth());
            }
            if (store.activeJobsOf(actor.userId()) > 0) {
                throw ProblemException.conflict("You have a generation running; wait for it to finish (GET"
                        + " /api/v1/generate) before starting another.");
            }
            GenerationJobEntity entity = new GenerationJobEntity();
            entity.id = UUID.randomUUID();
            entity.userId = actor.userId();
            entity.apiId = apiId;
            entity.prompt = prompt.strip();
            entity.name = name == null ? null : name.strip();
            entity.status = "queued";
            entity.progress = "[]";
            entity.createdAt = clock.instant();
            store.persist(entity);
            return entity;
        });
        LOG.infof("Generation %s queued for %s with model %s", job.id, actor.userId(), model);
        runner.execute(() -> run(job.id, actor, model));
        return view(job);
    }

    public GenerationView get(UUID jobId, UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.job(jobId).filter(j -> j.userId.equals(userId))
                .map(this::view)
                .orElseThrow(() -> ProblemException.notFound("You have no generation job " + jobId)));
    }

    public List<GenerationView> mine(UUID userId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> store.jobsOf(userId, 50).stream().map(this::view).toList());
    }

    public Allowance allowance(UUID userId) {
        String tier = users.get(userId).plan();
        long limit = monthlyLimits.of(tier);
        long used = QuarkusTransaction.requiringNew().call(() -> store.jobsSince(userId, monthStart()));
        return new Allowance(tier, used, limit, month().toString());
    }

    /** The generator model's name. @throws ProblemException 503 when none is configured or it is not enabled */
    public String requireModel() {
        String model = config.generatorModel().filter(m -> !m.isBlank()).orElseThrow(() -> new ProblemException(503,
                "Service Unavailable", "API generation needs a generator model: set TOLLGATE_GENERATOR_MODEL to one"
                        + " of the AI models (GET /v1/models) and restart. Hand-written and template APIs work"
                        + " without it (POST /api/v1/deploy)."));
        if (!models.exists(model)) {
            throw new ProblemException(503, "Service Unavailable", "The generator model '" + model + "'"
                    + " (TOLLGATE_GENERATOR_MODEL) is not an enabled AI model; an admin adds it under"
                    + " /api/v1/admin/models.");
        }
        return model;
    }

    private void run(UUID jobId, Actor actor, String model) {
        GenerationJobEntity job = QuarkusTransaction.requiringNew().call(() -> store.job(jobId).orElseThrow());
        List<ModelCalls.Message> conversation = new ArrayList<>();
        conversation.add(ModelCalls.Message.system(GeneratorPrompts.SYSTEM));
        conversation.add(ModelCalls.Message.user(GeneratorPrompts.request(job.prompt)));
        long cost = 0;
        int attempts = 0;
        HostedApis.Tested tested = null;
        String explanation = null;
        String lastProblem = "no answer";
        try {
            progress(jobId, "running", "generating", "Asking " + model + " to write the API", null);
            int allowed = 1 + config.generation().repairs();
            while (attempts < allowed) {
                attempts++;
                ModelCalls.Completion completion = models
                        .complete(actor.userId(), model, conversation, config.generation().maxTokens())
                        .orTimeout(MODEL_CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
                cost += completion.costMicros();
                conversation.add(ModelCalls.Message.assistant(completion.text()));
                GeneratorPrompts.Answer answer = GeneratorPrompts.read(completion.text());
                String problem = answer.problem() != null
                        ? answer.problem()
                        : answer.tests().isEmpty() ? "the ```json block has no examples (give 3 to 8)" : null;
                if (problem != null) {
                    lastProblem = problem;
                    progress(jobId, null, "reading", "Attempt " + attempts + ": " + problem, cost);
                    conversation.add(ModelCalls.Message.user(GeneratorPrompts.reformat(problem)));
                    continue;
                }
                progress(jobId, null, "testing", "Attempt " + attempts + ": running " + answer.tests().size()
                        + " examples in the sandbox", cost);
                HostedApis.Tested run;
                try {
                    // examples run without the API's secrets: their results go back to the model
                    run = hosted.test(null, answer.code(), answer.tests());
                } catch (ProblemException e) {
                    // the examples are malformed (or too many): ask again
                    lastProblem = e.detail();
                    progress(jobId, null, "testing", "Attempt " + attempts + ": " + e.detail(), cost);
                    conversation.add(ModelCalls.Message.user(GeneratorPrompts.reformat(e.detail())));
                    continue;
                }
                tested = run;
                explanation = answer.explanation();
                if ("ready".equals(run.status())) {
                    progress(jobId, null, "tested", "All " + run.total() + " examples passed", cost);
                    break;
                }
                List<JsonNode> failures = failures(run);
                String why = run.loadError() != null
                        ? "the module " + run.loadError()
                        : failures.size() + " of " + run.total() + " examples failed";
                if (attempts < allowed) {
                    progress(jobId, null, "repairing", "Attempt " + attempts + ": " + why
                            + "; asking the model to repair it", cost);
                    conversation.add(ModelCalls.Message.user(GeneratorPrompts.repair(run.loadError(), failures)));
                } else {
                    progress(jobId, null, "tested", "Attempt " + attempts + ": " + why + "; no repairs left", cost);
                }
            }
            if (tested == null) {
                finish(jobId, "failed", null, null, attempts, cost, "The model gave no usable code after "
                        + attempts + " attempts: " + lastProblem);
                return;
            }
            UUID apiId = job.apiId != null ? job.apiId : createApi(actor, job);
            VersionView version = hosted.store(apiId, actor.userId(), tested, "generated", null, explanation);
            boolean ready = "ready".equals(tested.status());
            finish(jobId, ready ? "ready" : "failed", apiId, version.number(), attempts, cost, ready
                    ? null
                    : "The code did not pass its examples after " + attempts + " attempts; the draft is version "
                            + version.number() + " (deploy it with force, or try another description)");
        } catch (CompletionException | ModelCalls.Failure e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String message = cause instanceof ModelCalls.Failure failure
                    ? failure.kind() == ModelCalls.Failure.Kind.NOT_ENOUGH_CREDIT
                            ? "Not enough credit for the generator model's call (it needs up to "
                                    + Money.fromMicros(failure.neededMicros()) + "); see GET /api/v1/users/me/credits"
                            : "The generator model failed: " + failure.getMessage()
                    : cause instanceof java.util.concurrent.TimeoutException
                            ? "The generator model did not answer within " + MODEL_CALL_TIMEOUT.toMinutes()
                                    + " minutes"
                            : "The generator model failed (" + cause.getClass().getSimpleName() + ")";
            finish(jobId, "failed", null, null, attempts, cost, message);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Generation %s failed", jobId);
            finish(jobId, "failed", null, null, attempts, cost, "The generation failed inside Tollgate; try again");
        }
    }

    private UUID createApi(Actor actor, GenerationJobEntity job) {
        String name = job.name != null ? job.name : nameFrom(job.prompt);
        ApiView api = catalog.createHosted(actor.userId(), new ApiDraft(name, null,
                job.prompt.length() > 2000 ? job.prompt.substring(0, 1999) + "…" : job.prompt, null, null, null,
                null, null, null, null));
        return api.id();
    }

    /** A name from the first words of the prompt. */
    static String nameFrom(String prompt) {
        String[] words = prompt.strip().split("\\s+");
        StringBuilder name = new StringBuilder();
        for (String word : words) {
            String clean = word.replaceAll("[^\\p{L}\\p{N}-]", "");
            if (clean.isEmpty()) {
                continue;
            }
            if (name.length() + clean.length() + 1 > 40) {
                break;
            }
            name.append(name.length() == 0 ? "" : " ").append(clean);
        }
        return name.length() == 0 ? "Generated API" : name.toString();
    }

    private static List<JsonNode> failures(HostedApis.Tested tested) {
        List<JsonNode> failures = new ArrayList<>();
        if (tested.results() != null) {
            for (JsonNode result : tested.results()) {
                if (!result.path("passed").asBoolean()) {
                    failures.add(result);
                }
            }
        }
        return failures;
    }

    private void progress(UUID jobId, String status, String stage, String message, Long cost) {
        QuarkusTransaction.requiringNew().run(() -> {
            GenerationJobEntity job = store.job(jobId).orElseThrow();
            if (status != null) {
                job.status = status;
            }
            if (cost != null) {
                job.costMicros = cost;
            }
            ArrayNode events = (ArrayNode) read(job.progress);
            events.addObject().put("at", clock.instant().toString()).put("stage", stage).put("message", message);
            job.progress = events.toString();
        });
        LOG.debugf("Generation %s: %s — %s", jobId, stage, message);
    }

    /**
     * Ends the job; when even that cannot be written (the database is down), the job is left as it was and logged,
     * and the next start-up marks it failed.
     */
    private void finish(UUID jobId, String status, UUID apiId, Integer version, int attempts, long cost,
            String message) {
        String error = message == null || message.length() <= 2_000 ? message : message.substring(0, 1_999) + "…";
        try {
            write(jobId, status, apiId, version, attempts, cost, error);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Generation %s: its end (%s) could not be written", jobId, status);
        }
    }

    private void write(UUID jobId, String status, UUID apiId, Integer version, int attempts, long cost,
            String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            GenerationJobEntity job = store.job(jobId).orElseThrow();
            job.status = status;
            if (apiId != null) {
                job.apiId = apiId;
            }
            job.version = version;
            job.attempts = attempts;
            job.costMicros = cost;
            job.error = error;
            job.finishedAt = clock.instant();
            ArrayNode events = (ArrayNode) read(job.progress);
            events.addObject().put("at", job.finishedAt.toString()).put("stage", status).put("message",
                    error != null ? error : "Version " + version + " of the API is ready to deploy");
            job.progress = events.toString();
        });
        LOG.infof("Generation %s %s after %d attempts (%s)", jobId, status, attempts, Money.fromMicros(cost));
    }

    private GenerationView view(GenerationJobEntity job) {
        VersionView version = null;
        if (job.apiId != null && job.version != null) {
            version = store.version(job.apiId, job.version).map(v -> new VersionView(v.apiId, v.number, v.status,
                    v.source, v.templateId, v.explanation, v.authorId, v.createdAt, false, 0, 0, v.code,
                    hosted.list(read(v.tests)), hosted.list(read(v.testResults)))).orElse(null);
        }
        return new GenerationView(job.id, job.status, job.prompt, job.name, job.apiId, job.version,
                version == null ? null : version.code(), version == null ? null : version.testResults(),
                version == null ? null : version.explanation(), job.attempts, Money.fromMicros(job.costMicros),
                hosted.list(read(job.progress)), job.error, job.createdAt, job.finishedAt);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private YearMonth month() {
        return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    }

    private Instant monthStart() {
        return month().atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private long secondsToNextMonth() {
        return Math.max(1, month().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                - clock.instant().getEpochSecond());
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
