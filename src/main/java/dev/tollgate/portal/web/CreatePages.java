package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserView;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.hosted.DeployResult;
import dev.tollgate.hosted.GenerationView;
import dev.tollgate.hosted.Generations;
import dev.tollgate.hosted.HostedApis;
import dev.tollgate.hosted.Suggestions;
import dev.tollgate.hosted.VersionView;
import dev.tollgate.platform.ProblemException;
import io.quarkus.qute.TemplateInstance;

/**
 * Creating hosted APIs with AI: describe an API and follow the generation job ({@code /create},
 * {@code /create/jobs/{id}}, progress polled by htmx, a refresh without scripts), deploy the draft or a template, and
 * a hosted API's versions ({@code /create/apis/{id}}): code and tests, a diff of two versions, activation and
 * rollback, and the model's suggestions. Everything calls the hosted feature's services, which check that the
 * signed-in provider owns the job or API.
 */
@Path("/create")
@PortalPage
@Produces("text/html")
class CreatePages {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int RECENT_JOBS = 10;

    private final Pages pages;
    private final CurrentUser current;
    private final Generations generations;
    private final HostedApis hosted;
    private final Suggestions suggestions;
    private final ObjectMapper json;

    CreatePages(Pages pages, CurrentUser current, Generations generations, HostedApis hosted,
            Suggestions suggestions, ObjectMapper json) {
        this.pages = pages;
        this.current = current;
        this.generations = generations;
        this.hosted = hosted;
        this.suggestions = suggestions;
        this.json = json;
    }

    /** What was typed into the description form, shown again with its error. */
    record Prompt(String prompt, String name, String apiId) {
    }

    /** A job in the list of recent jobs. */
    record JobRow(UUID id, String status, String statusClass, String prompt, String created, String cost,
            UUID apiId, Integer version) {
    }

    /** One example request with its result ({@code passed} null: not run). */
    record TestRow(String name, String method, String path, Boolean passed, String expected, Integer actualStatus,
            String actualBody, String error) {
    }

    /** A progress event of a job. */
    record Step(String at, String stage, String message) {
    }

    /** A job with everything its page shows; {@code codeHtml} is highlighted, escaped HTML. */
    record JobDetail(UUID id, String status, String statusClass, boolean running, String prompt, String name,
            UUID apiId, String apiName, String gatewayUrl, Integer version, boolean live, String codeHtml,
            String code, List<TestRow> tests, long passed, String explanation, int attempts, String cost,
            List<Step> progress, String error, String created, String finished) {
    }

    /** A version in the list of a hosted API's versions. */
    record VersionRow(int number, String status, String statusClass, String source, String created, boolean active,
            int testsPassed, int testsTotal) {
    }

    /** One version with its code (highlighted, escaped HTML) and tests. */
    record VersionDetail(int number, String status, String statusClass, String source, String created,
            boolean active, String codeHtml, String code, List<TestRow> tests, String explanation, int testsPassed,
            int testsTotal) {
    }

    /** A diff of two versions. */
    record DiffView(int from, int to, List<CreateLineDiff.Row> rows, int added, int removed) {
    }

    /** The model's suggestions, or why there are none. */
    record SuggestionsView(List<Suggestions.Suggestion> items, String model, Integer version, String cost,
            String error) {
    }

    // ---- the description form -------------------------------------------------------------------------------

    @GET
    public Response create() {
        UserView me = pages.user(Role.PROVIDER);
        return pages.html(createPage(me, new Prompt("", "", ""), null));
    }

    @POST
    public Response start(@RestForm String prompt, @RestForm String name, @RestForm("api_id") String apiId) {
        UserView me = pages.user(Role.PROVIDER);
        Prompt typed = new Prompt(prompt == null ? "" : prompt, name == null ? "" : name.strip(),
                apiId == null ? "" : apiId.strip());
        try {
            UUID api = typed.apiId().isEmpty() ? null : uuid(typed.apiId(), "api_id");
            GenerationView job = generations.start(Actor.provider(current), typed.prompt(),
                    typed.name().isEmpty() ? null : typed.name(), api);
            return pages.redirect("/create/jobs/" + job.jobId(), "The generation has started.");
        } catch (ProblemException e) {
            return pages.html(e.status(), createPage(me, typed, explain(e)).render());
        }
    }

    @POST
    @Path("templates")
    public Response deployTemplate(@RestForm String template, @RestForm String name) {
        UserView me = pages.user(Role.PROVIDER);
        try {
            if (name == null || name.isBlank()) {
                throw ProblemException.invalid("name", "is required: give your new API a name");
            }
            DeployResult deployed = hosted.deploy(Actor.provider(current), new HostedApis.DeployRequest(null,
                    name.strip(), null, null, null, template, null, null, false));
            return pages.redirect("/create/apis/" + deployed.api().id(), "Template deployed: " + deployed.api()
                    .name() + " version " + deployed.version().number() + " is live at "
                    + deployed.api()
                            .gatewayUrl()
                    + ".");
        } catch (ProblemException e) {
            return pages.html(e.status(), createPage(me, new Prompt("", "", ""),
                    "The template could not be deployed: " + e.detail()).render());
        }
    }

    private TemplateInstance createPage(UserView me, Prompt form, String error) {
        String modelProblem = null;
        try {
            generations.requireModel();
        } catch (ProblemException e) {
            modelProblem = e.detail();
        }
        List<JobRow> jobs = generations.mine(me.id()).stream().limit(RECENT_JOBS).map(this::row).toList();
        return pages.template("create").data("allowance", generations.allowance(me.id()))
                .data("jobs", jobs).data("templates", hosted.templates()).data("modelProblem", modelProblem)
                .data("form", form).data("error", error);
    }

    private JobRow row(GenerationView job) {
        return new JobRow(job.jobId(), job.status(), statusClass(job.status()), shorten(job.prompt(), 90),
                when(job.createdAt()), money(job.cost()), job.apiId(), job.version());
    }

    // ---- a generation job -------------------------------------------------------------------------------------

    @GET
    @Path("jobs/{id}")
    public Response job(@PathParam("id") UUID id) {
        UserView me = pages.user(Role.PROVIDER);
        return pages.html(pages.template("create-job").data("job", detail(generations.get(id, me.id())))
                .data("error", null));
    }

    /** The progress fragment htmx polls every second while the job runs (the finished one has no trigger). */
    @GET
    @Path("jobs/{id}/progress")
    public Response progress(@PathParam("id") UUID id) {
        UserView me = pages.user(Role.PROVIDER);
        JobDetail job = detail(generations.get(id, me.id()));
        if (!pages.htmx()) {
            return pages.redirect("/create/jobs/" + id, null);
        }
        return pages.html(pages.template("create-job-progress").data("job", job));
    }

    @POST
    @Path("jobs/{id}/deploy")
    public Response deployJob(@PathParam("id") UUID id, @RestForm String force) {
        UserView me = pages.user(Role.PROVIDER);
        GenerationView job = generations.get(id, me.id());
        if (job.apiId() == null || job.version() == null) {
            throw ProblemException.conflict("This job made no version to deploy" + (job.error() == null
                    ? "."
                    : ": " + job.error()));
        }
        try {
            DeployResult deployed = hosted.deploy(Actor.provider(current), new HostedApis.DeployRequest(
                    job.apiId(), null, null, null, null, null, job.version(), null, checked(force)));
            return pages.redirect("/create/jobs/" + id, "Deployed: version " + deployed.version().number()
                    + " of " + deployed.api().name() + " is live at " + deployed.api().gatewayUrl() + ".");
        } catch (ProblemException e) {
            return pages.html(e.status(), pages.template("create-job").data("job", detail(job))
                    .data("error", "Not deployed: " + e.detail()).render());
        }
    }

    private JobDetail detail(GenerationView job) {
        boolean running = "queued".equals(job.status()) || "running".equals(job.status());
        String apiName = null;
        String gatewayUrl = null;
        boolean live = false;
        if (!running && job.apiId() != null) {
            try {
                Actor actor = Actor.of(current);
                ApiView api = hosted.managedHosted(job.apiId(), actor, "see its versions");
                apiName = api.name();
                gatewayUrl = api.gatewayUrl();
                live = job.version() != null && hosted.versions(job.apiId(), actor).stream()
                        .anyMatch(v -> v.active() && v.number() == job.version());
            } catch (ProblemException e) {
                // the API was deleted since: the job still shows what it made
            }
        }
        List<TestRow> tests = tests(job.tests());
        List<Step> steps = job.progress() == null
                ? List.of()
                : job.progress().stream()
                        .map(p -> new Step(text(p.get("at")), text(p.get("stage")), text(p.get("message")))).toList();
        return new JobDetail(job.jobId(), job.status(), statusClass(job.status()), running, job.prompt(),
                job.name(), job.apiId(), apiName, gatewayUrl, job.version(), live,
                job.code() == null ? null : CreateHighlighter.javascript(job.code()), job.code(), tests,
                tests.stream().filter(t -> Boolean.TRUE.equals(t.passed())).count(), job.explanation(),
                job.attempts(), money(job.cost()), steps, job.error(), when(job.createdAt()),
                when(job.finishedAt()));
    }

    // ---- a hosted API's versions ------------------------------------------------------------------------------

    @GET
    @Path("apis/{id}")
    public Response api(@PathParam("id") UUID id) {
        pages.user(Role.PROVIDER);
        return pages.html(apiPage(id, null, null, null, null));
    }

    @GET
    @Path("apis/{id}/versions/{n}")
    public Response version(@PathParam("id") UUID id, @PathParam("n") int number) {
        pages.user(Role.PROVIDER);
        return pages.html(apiPage(id, number, null, null, null));
    }

    @GET
    @Path("apis/{id}/diff")
    public Response diff(@PathParam("id") UUID id, @RestQuery Integer from, @RestQuery Integer to) {
        pages.user(Role.PROVIDER);
        Actor actor = Actor.of(current);
        if (from == null || to == null) {
            return pages.html(422, apiPage(id, null, null, null,
                    "Choose two versions to compare.").render());
        }
        VersionView a = hosted.version(id, from, actor);
        VersionView b = hosted.version(id, to, actor);
        CreateLineDiff.Result result = CreateLineDiff.diff(a.code(), b.code());
        return pages.html(apiPage(id, null, new DiffView(from, to, result.rows(), result.added(), result.removed()),
                null, null));
    }

    @POST
    @Path("apis/{id}/versions/{n}/activate")
    public Response activate(@PathParam("id") UUID id, @PathParam("n") int number, @RestForm String force) {
        pages.user(Role.PROVIDER);
        try {
            DeployResult result = hosted.activate(id, number, Actor.of(current), checked(force));
            return pages.redirect("/create/apis/" + id, "Version " + result.version().number() + " is now served at "
                    + result.api().gatewayUrl() + ".");
        } catch (ProblemException e) {
            if (e.status() == 404 || e.status() == 403) {
                throw e;
            }
            return pages.html(e.status(), apiPage(id, number, null, null, "Version " + number
                    + " was not activated: " + e.detail()).render());
        }
    }

    /** Asks the model for improvements of the active version (paid from the user's credit, so a POST). */
    @POST
    @Path("apis/{id}/suggestions")
    public Response suggest(@PathParam("id") UUID id) {
        pages.user(Role.PROVIDER);
        Actor actor = Actor.of(current);
        hosted.managedHosted(id, actor, "see its versions"); // 404/403 before anything is asked
        SuggestionsView view;
        int status = 200;
        try {
            Suggestions.Review review = suggestions.review(actor, id);
            view = new SuggestionsView(review.suggestions(), review.model(), review.version(), money(review.cost()),
                    null);
        } catch (ProblemException e) {
            status = e.status();
            view = new SuggestionsView(List.of(), null, null, null, explain(e));
        }
        if (pages.htmx()) {
            return pages.html(status, pages.template("create-suggestions").data("suggestions", view)
                    .data("apiId", id).render());
        }
        return pages.html(status, apiPage(id, null, null, view, null).render());
    }

    private TemplateInstance apiPage(UUID id, Integer shownNumber, DiffView diff, SuggestionsView advice,
            String error) {
        Actor actor = Actor.of(current);
        ApiView api = hosted.managedHosted(id, actor, "see its versions");
        List<VersionView> versions = hosted.versions(id, actor);
        Integer wanted = shownNumber;
        if (wanted == null && diff == null && !versions.isEmpty()) {
            wanted = versions.stream().filter(VersionView::active).map(VersionView::number).findFirst()
                    .orElse(versions.get(0).number());
        }
        VersionDetail shown = null;
        if (wanted != null) {
            VersionView v = hosted.version(id, wanted, actor);
            List<TestRow> tests = tests(v.testResults() == null || v.testResults().isEmpty()
                    ? v.tests()
                    : v.testResults());
            shown = new VersionDetail(v.number(), v.status(), statusClass(v.status()), v.source(),
                    when(v.createdAt()), v.active(), CreateHighlighter.javascript(v.code()), v.code(), tests,
                    v.explanation(), v.testsPassed(), v.testsTotal());
        }
        List<VersionRow> rows = versions.stream().map(v -> new VersionRow(v.number(), v.status(),
                statusClass(v.status()), v.source(), when(v.createdAt()), v.active(), v.testsPassed(),
                v.testsTotal())).toList();
        int newest = versions.isEmpty() ? 0 : versions.get(0).number();
        return pages.template("create-api").data("api", api).data("versions", rows).data("shown", shown)
                .data("diff", diff).data("suggestions", advice).data("error", error)
                .data("diffFrom", diff != null ? diff.from() : Math.max(1, newest - 1))
                .data("diffTo", diff != null ? diff.to() : newest);
    }

    // ---- conversions ------------------------------------------------------------------------------------------

    private List<TestRow> tests(List<Map<String, Object>> results) {
        if (results == null) {
            return List.of();
        }
        List<TestRow> rows = new ArrayList<>();
        for (Map<String, Object> r : results) {
            Map<?, ?> request = r.get("request") instanceof Map<?, ?> m ? m : Map.of();
            Object passed = r.get("passed");
            Object actual = r.get("actual_status");
            rows.add(new TestRow(text(r.get("name")), text(request.get("method")), text(request.get("path")),
                    passed instanceof Boolean b ? b : null, compact(r.get("expected")),
                    actual instanceof Number number && passed != null ? number.intValue() : null,
                    text(r.get("actual_body")), text(r.get("error"))));
        }
        return rows;
    }

    private String compact(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** A problem for people; the generator's 503 says who configures the model. */
    static String explain(ProblemException e) {
        if (e.status() == 503 && e.detail() != null && e.detail().contains("TOLLGATE_GENERATOR_MODEL")) {
            return "No generator model is configured — an admin sets TOLLGATE_GENERATOR_MODEL. " + e.detail();
        }
        return e.detail();
    }

    static boolean checked(String box) {
        return box != null && !box.isBlank() && !"false".equalsIgnoreCase(box);
    }

    static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "must be the id of one of your hosted APIs");
        }
    }

    static String statusClass(String status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case "ready" -> "ok";
            case "failed" -> "error";
            default -> "warn";
        };
    }

    static String when(Instant at) {
        return at == null ? null : WHEN.format(at);
    }

    /** {@code $0.033}: at least cents, all the digits a micro-priced cost has. */
    static String money(BigDecimal amount) {
        if (amount == null) {
            return "$0.00";
        }
        BigDecimal scaled = amount.scale() < 2 ? amount.setScale(2) : amount;
        return (scaled.signum() < 0 ? "-$" : "$") + scaled.abs().toPlainString();
    }

    static String shorten(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
