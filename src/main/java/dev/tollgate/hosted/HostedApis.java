package dev.tollgate.hosted;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiCatalog.ApiDraft;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.catalog.OpenApiImport;
import dev.tollgate.hosted.internal.Bindings;
import dev.tollgate.hosted.internal.HostedRuntime;
import dev.tollgate.hosted.internal.MemoryKvStore;
import dev.tollgate.hosted.internal.ProgramTests;
import dev.tollgate.hosted.internal.RouteDocument;
import dev.tollgate.hosted.internal.Sandbox;
import dev.tollgate.hosted.internal.Templates;
import dev.tollgate.hosted.store.HostedApiEntity;
import dev.tollgate.hosted.store.HostedStore;
import dev.tollgate.hosted.store.SecretEntity;
import dev.tollgate.hosted.store.VersionEntity;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.SecretBox;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Hosted APIs: deploying code (written, pasted, from a template or generated) as numbered versions, tested in the
 * sandbox against their example requests before they are served; activating a version (rollback); the per-API secrets
 * the code reads as {@code env.NAME}; the template library; the OpenAPI document derived from a version's routes.
 * <p>
 * A version is served once it is active: the activation moves the {@code hosted} change topic and every node's
 * {@link HostedRuntime} swaps to it within a second, calls in flight finishing on the version they started on. A
 * version whose tests fail is not activated unless forced. Everything here is for the API's owner and admins.
 */
@ApplicationScoped
public class HostedApis {

    private static final Logger LOG = Logger.getLogger(HostedApis.class);
    static final int MAX_CODE_CHARS = 200_000;
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
    private static final int MAX_SECRET_CHARS = 8_000;
    private static final int MAX_SECRETS = 50;

    /**
     * A deploy: new code ({@code code}, or {@code template} to start from one) for a new API ({@code apiId} null:
     * {@code name} required) or an existing one, or an existing {@code version} of an API to serve.
     */
    public record DeployRequest(UUID apiId, String name, String description, String visibility, String code,
            String template, Integer version, JsonNode tests, boolean force) {
    }

    /** Code and its example requests, tested: what a version is made of. */
    public record Tested(String code, JsonNode tests, JsonNode results, int passed, int total, String loadError) {

        /** {@code ready}, {@code failed} or {@code untested}. */
        public String status() {
            return loadError != null || passed < total ? "failed" : total == 0 ? "untested" : "ready";
        }
    }

    private final HostedStore store;
    private final HostedRuntime runtime;
    private final ApiCatalog catalog;
    private final OpenApiImport openApi;
    private final ChangeFeed changes;
    private final SecretBox secrets;
    private final ObjectMapper json;
    private final Clock clock;

    HostedApis(HostedStore store, HostedRuntime runtime, ApiCatalog catalog, OpenApiImport openApi,
            ChangeFeed changes, SecretBox secrets, ObjectMapper json, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.runtime = runtime;
        this.catalog = catalog;
        this.openApi = openApi;
        this.changes = changes;
        this.secrets = secrets;
        this.json = json;
    }

    public DeployResult deploy(Actor actor, DeployRequest request) {
        int given = (request.code() != null ? 1 : 0) + (request.template() != null ? 1 : 0)
                + (request.version() != null ? 1 : 0);
        if (given > 1 || given == 0 && request.apiId() == null) {
            throw ProblemException.invalid("code",
                    "give exactly one of code (your JavaScript), template (an id from GET /api/v1/templates)"
                            + " or version (a version of api_id to serve; api_id alone serves its latest version)");
        }
        if (request.version() != null || given == 0) {
            if (request.apiId() == null) {
                throw ProblemException.invalid("api_id", "is required to deploy an existing version");
            }
            int number = request.version() != null
                    ? request.version()
                    : QuarkusTransaction.requiringNew().call(() -> store.lastNumber(request.apiId()));
            if (number == 0) {
                managedHosted(request.apiId(), actor, "deploy to it");
                throw ProblemException.conflict("API " + request.apiId() + " has no version yet: deploy code,"
                        + " a template, or generate one");
            }
            return activate(request.apiId(), number, actor, request.force());
        }
        String code = request.code();
        JsonNode tests = request.tests();
        String templateId = null;
        if (request.template() != null) {
            Templates.Template template = Templates.byId(request.template()).orElseThrow(() -> ProblemException
                    .invalid("template", "is not a template; see GET /api/v1/templates"));
            code = template.code();
            templateId = template.id();
            if (tests == null) {
                tests = json.valueToTree(template.tests());
            }
        }
        ApiView existing = null;
        if (request.apiId() == null) {
            List<FieldError> errors = new ArrayList<>();
            if (request.name() == null || request.name().isBlank()) {
                errors.add(new FieldError("name", "is required for a new API (or give api_id)"));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
        } else {
            existing = managedHosted(request.apiId(), actor, "deploy to it");
        }
        Tested tested = test(existing == null ? null : existing.id(), code, tests);
        if (tested.loadError() != null) {
            throw ProblemException.invalid("code", tested.loadError());
        }
        if ("failed".equals(tested.status()) && !request.force()) {
            throw testsFailed(tested);
        }
        ApiView api = existing != null
                ? existing
                : catalog.createHosted(actor.userId(), new ApiDraft(request.name(), null,
                        request.description() == null || request.description().isBlank()
                                ? "A hosted API."
                                : request.description(),
                        null, null, null, null, request.visibility(), null, null));
        VersionView version = store(api.id(), actor.userId(), tested, templateId == null ? "code" : "template",
                templateId, null);
        return activate(api.id(), version.number(), actor, true);
    }

    private ProblemException testsFailed(Tested tested) {
        Map<String, Object> extensions = new HashMap<>();
        extensions.put("tests", tested.results());
        return new ProblemException(422, "Tests Failed", (tested.total() - tested.passed()) + " of "
                + tested.total() + " tests failed; fix the code, or deploy with \"force\": true", extensions,
                Map.of());
    }

    /**
     * Loads the code in the sandbox and runs its tests, with the API's secrets (none for a new API), a scratch
     * key/value store (tests never touch the API's own data) and the real outbound fetch. Nothing is stored.
     *
     * @throws ProblemException 422 when the code is too long or the tests are malformed
     */
    public Tested test(UUID apiId, String code, JsonNode tests) {
        if (code == null || code.isBlank()) {
            throw ProblemException.invalid("code", "is required");
        }
        if (code.length() > MAX_CODE_CHARS) {
            throw ProblemException.invalid("code", "must be at most " + MAX_CODE_CHARS + " characters");
        }
        List<ProgramTests.TestCase> cases;
        try {
            cases = tests == null || tests.isNull() ? List.of() : ProgramTests.parse(tests);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("tests", e.getMessage());
        }
        JsonNode testsJson = json.valueToTree(cases);
        Sandbox.Program program;
        try {
            program = runtime.sandbox().load(code);
        } catch (Sandbox.Failure e) {
            return new Tested(code, testsJson, json.createArrayNode(), 0, cases.size(),
                    "does not load: " + e.getMessage());
        }
        try {
            Map<String, String> env = apiId == null ? Map.of() : env(apiId);
            List<ProgramTests.TestResult> results = ProgramTests.run(program,
                    cases, new Bindings(env, new MemoryKvStore(1_000), runtime.fetcher()));
            int passed = (int) results.stream().filter(ProgramTests.TestResult::passed).count();
            return new Tested(code, testsJson, json.valueToTree(results), passed, cases.size(), null);
        } finally {
            program.discard();
        }
    }

    /** Stores tested code as the API's next version (not activated). */
    public VersionView store(UUID apiId, UUID authorId, Tested tested, String source, String templateId,
            String explanation) {
        return QuarkusTransaction.requiringNew().call(() -> {
            HostedApiEntity hosted = lockedOrNew(apiId);
            VersionEntity version = new VersionEntity();
            version.id = UUID.randomUUID();
            version.apiId = apiId;
            version.number = store.lastNumber(apiId) + 1;
            version.code = tested.code();
            version.tests = write(tested.tests());
            version.testResults = write(tested.results());
            version.status = tested.status();
            version.source = source;
            version.templateId = templateId;
            version.explanation = explanation;
            version.authorId = authorId;
            version.createdAt = clock.instant();
            store.persist(version);
            LOG.infof("Hosted API %s: version %d stored (%s, %s) by %s", apiId, version.number, source,
                    version.status, authorId);
            return view(version, hosted.activeVersion, false);
        });
    }

    /** Serves the version: it must have passed its tests (or have none) unless {@code force}. */
    public DeployResult activate(UUID apiId, int number, Actor actor, boolean force) {
        ApiView api = managedHosted(apiId, actor, "deploy to it");
        // versions never change: whether one loads is checked before the activation takes its lock
        String code = QuarkusTransaction.requiringNew().call(() -> store.version(apiId, number).map(v -> v.code))
                .orElseThrow(() -> ProblemException.notFound("API " + apiId + " has no version " + number));
        String loadError = loadError(code);
        if (loadError != null) {
            throw ProblemException.invalid("version", "version " + number + " cannot be served: its code "
                    + loadError);
        }
        VersionView version = QuarkusTransaction.requiringNew().call(() -> {
            HostedApiEntity hosted = lockedOrNew(apiId);
            VersionEntity entity = store.version(apiId, number)
                    .orElseThrow(() -> ProblemException.notFound("API " + apiId + " has no version " + number));
            if ("failed".equals(entity.status) && !force) {
                throw ProblemException.conflict("Version " + number + " failed its tests; fix it, or activate it"
                        + " with force=true");
            }

            if (hosted.activeVersion == null || hosted.activeVersion != number) {
                hosted.activeVersion = number;
                hosted.activatedAt = clock.instant();
                hosted.activatedBy = actor.userId();
                hosted.updatedAt = hosted.activatedAt;
                changes.changed(HostedRuntime.TOPIC);
                LOG.infof("Hosted API %s (%s): version %d activated by %s", apiId, api.slug(), number,
                        actor.userId());
            }
            return view(entity, number, false);
        });
        describeEndpoints(api, version.number(), actor);
        return new DeployResult(catalog.requireManaged(apiId, actor, "deploy to it"), version, true);
    }

    /** The listing's endpoints follow the active version's routes (the same import as an OpenAPI document). */
    private void describeEndpoints(ApiView api, int number, Actor actor) {
        try {
            openApi.importDocument(api.id(), actor, write(openApi(api, number)));
        } catch (RuntimeException e) {
            LOG.warnf("Hosted API %s: the endpoints of version %d could not be listed: %s", api.id(), number,
                    e.getMessage());
        }
    }

    public List<VersionView> versions(UUID apiId, Actor actor) {
        managedHosted(apiId, actor, "see its versions");
        return QuarkusTransaction.requiringNew().call(() -> {
            Integer active = store.hostedApi(apiId).map(h -> h.activeVersion).orElse(null);
            return store.versions(apiId).stream().map(v -> view(v, active, false)).toList();
        });
    }

    public VersionView version(UUID apiId, int number, Actor actor) {
        managedHosted(apiId, actor, "see its versions");
        return QuarkusTransaction.requiringNew().call(() -> {
            Integer active = store.hostedApi(apiId).map(h -> h.activeVersion).orElse(null);
            return store.version(apiId, number).map(v -> view(v, active, true))
                    .orElseThrow(() -> ProblemException.notFound("API " + apiId + " has no version " + number));
        });
    }

    /** The OpenAPI document of a version (the active one when {@code number} is null), derived from its routes. */
    public ObjectNode openApi(UUID apiId, Integer number, Actor actor) {
        ApiView api = managedHosted(apiId, actor, "see its versions");
        int wanted = number != null
                ? number
                : QuarkusTransaction.requiringNew().call(() -> store.hostedApi(apiId).map(h -> h.activeVersion))
                        .orElseThrow(() -> ProblemException.notFound("API " + apiId + " has no active version"));
        return openApi(api, wanted);
    }

    /** Why the code does not load in the sandbox, or null. */
    private String loadError(String code) {
        try {
            runtime.sandbox().load(code).discard();
            return null;
        } catch (Sandbox.Failure e) {
            return "does not load: " + e.getMessage();
        }
    }

    private ObjectNode openApi(ApiView api, int number) {
        String code = QuarkusTransaction.requiringNew().call(() -> store.version(api.id(), number))
                .orElseThrow(() -> ProblemException.notFound("API " + api.id() + " has no version " + number)).code;
        Sandbox.Program program;
        try {
            program = runtime.sandbox().load(code);
        } catch (Sandbox.Failure e) {
            throw ProblemException.invalid("version", "version " + number + " has no routes: its code does not"
                    + " load: " + e.getMessage());
        }
        try {
            ObjectNode document = RouteDocument.of(api.name(), api.description(), String.valueOf(number),
                    program.routes());
            document.putArray("servers").addObject().put("url", api.gatewayUrl());
            return document;
        } finally {
            program.discard();
        }
    }

    public SecretView putSecret(UUID apiId, Actor actor, String name, String value) {
        managedHosted(apiId, actor, "change its secrets");
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !SECRET_NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must be 1 to 64 of A-Z, 0-9 and _, not starting with a digit"));
        }
        if (value == null || value.isEmpty() || value.length() > MAX_SECRET_CHARS) {
            errors.add(new FieldError("value", "must be 1 to " + MAX_SECRET_CHARS + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        SecretView view = QuarkusTransaction.requiringNew().call(() -> {
            lockedOrNew(apiId);
            Instant now = clock.instant();
            SecretEntity secret = store.secret(apiId, name).orElse(null);
            if (secret == null) {
                if (store.secrets(apiId).size() >= MAX_SECRETS) {
                    throw ProblemException.conflict("An API keeps at most " + MAX_SECRETS + " secrets");
                }
                secret = new SecretEntity();
                secret.id = UUID.randomUUID();
                secret.apiId = apiId;
                secret.name = name;
                secret.createdAt = now;
                secret.sealed = secrets.seal(value, HostedRuntime.owner(apiId, name));
                secret.updatedAt = now;
                store.persist(secret);
            } else {
                secret.sealed = secrets.seal(value, HostedRuntime.owner(apiId, name));
                secret.updatedAt = now;
            }
            changes.changed(HostedRuntime.TOPIC);
            return new SecretView(secret.name, secret.createdAt, secret.updatedAt);
        });
        LOG.infof("Hosted API %s: secret %s set by %s", apiId, name, actor.userId());
        return view;
    }

    public List<SecretView> secrets(UUID apiId, Actor actor) {
        managedHosted(apiId, actor, "see its secrets");
        return QuarkusTransaction.requiringNew().call(() -> store.secrets(apiId).stream()
                .map(s -> new SecretView(s.name, s.createdAt, s.updatedAt)).toList());
    }

    public void deleteSecret(UUID apiId, Actor actor, String name) {
        managedHosted(apiId, actor, "change its secrets");
        QuarkusTransaction.requiringNew().run(() -> {
            SecretEntity secret = store.secret(apiId, name)
                    .orElseThrow(() -> ProblemException.notFound("API " + apiId + " has no secret " + name));
            store.remove(secret);
            changes.changed(HostedRuntime.TOPIC);
        });
        LOG.infof("Hosted API %s: secret %s deleted by %s", apiId, name, actor.userId());
    }

    public List<TemplateView> templates() {
        return Templates.all().stream()
                .map(t -> new TemplateView(t.id(), t.name(), t.description(), t.category(), null, null)).toList();
    }

    public TemplateView template(String id) {
        Templates.Template t = Templates.byId(id)
                .orElseThrow(() -> ProblemException.notFound("There is no template " + id));
        return new TemplateView(t.id(), t.name(), t.description(), t.category(), t.code(),
                list(json.valueToTree(t.tests())));
    }

    /** The API, which the actor may manage and which must be hosted. */
    public ApiView managedHosted(UUID apiId, Actor actor, String action) {
        ApiView api = catalog.requireManaged(apiId, actor, action);
        if (!"hosted".equals(api.kind())) {
            throw ProblemException.conflict("API " + apiId + " is a proxied API (its calls go to its base_url);"
                    + " hosted APIs are created with POST /api/v1/deploy");
        }
        return api;
    }

    private Map<String, String> env(UUID apiId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, String> env = new HashMap<>();
            for (SecretEntity secret : store.secrets(apiId)) {
                env.put(secret.name, secrets.open(secret.sealed, HostedRuntime.owner(apiId, secret.name)));
            }
            return env;
        });
    }

    private HostedApiEntity lockedOrNew(UUID apiId) {
        return store.lockedHostedApi(apiId).orElseGet(() -> {
            HostedApiEntity hosted = new HostedApiEntity();
            hosted.apiId = apiId;
            hosted.updatedAt = clock.instant();
            store.persist(hosted);
            return hosted;
        });
    }

    private VersionView view(VersionEntity v, Integer active, boolean detail) {
        JsonNode results = read(v.testResults);
        int total = results.size();
        int passed = 0;
        for (JsonNode result : results) {
            if (result.path("passed").asBoolean()) {
                passed++;
            }
        }
        if (total == 0) {
            total = read(v.tests).size();
        }
        return new VersionView(v.apiId, v.number, v.status, v.source, v.templateId, v.explanation, v.authorId,
                v.createdAt, active != null && active == v.number, passed, total, detail ? v.code : null,
                detail ? list(read(v.tests)) : null, detail ? list(results) : null);
    }

    /** A JSON array as the lists of objects the views show. */
    List<Map<String, Object>> list(JsonNode array) {
        return json.convertValue(array, new com.fasterxml.jackson.core.type.TypeReference<>() {
        });
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON does not parse", e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
