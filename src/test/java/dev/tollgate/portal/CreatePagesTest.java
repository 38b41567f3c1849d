package dev.tollgate.portal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.assistant.AssistantProfile;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.FakeLlmServer.Reply;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.Portal;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The create pages against a fake OpenAI vendor serving the generator model of {@link AssistantProfile} (the same
 * profile as the assistant's tests, so Quarkus is not restarted for these): describing an API and following the job
 * to its highlighted code and passing examples, deploying drafts as versions, the diff of two versions, rollback
 * (a failed version only with force), other users' jobs and APIs, CSRF, and the assistant's chat panel.
 */
@QuarkusTest
@TestProfile(AssistantProfile.class)
public class CreatePagesTest {

    /** {@link AssistantProfile}'s generator model. */
    public static final String MODEL = "assistant-test-model";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT = Pattern
            .compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public static final String FACTS = module(
            "\"GET /facts/{id}\": (req) => { const facts = ['Cats sleep 16 hours a day.',"
                    + " 'Cats have 32 muscles in each ear.']; const i = Number(req.params.id); if (!Number.isInteger(i) || i < 0"
                    + " || i >= facts.length) return { status: 404, json: { error: 'no fact ' + req.params.id } }; return {"
                    + " json: { id: i, fact: facts[i] } }; }");
    static final String FACTS_V2 = module("\"GET /facts/{id}\": (req) => { const facts = ['Cats sleep 16 hours a"
            + " day.', 'Cats have 32 muscles in each ear.', 'Cats can rotate their ears 180 degrees.']; const i ="
            + " Number(req.params.id); if (!Number.isInteger(i) || i < 0 || i >= facts.length) return { status: 404,"
            + " json: { error: 'no fact ' + req.params.id } }; return { json: { id: i, fact: facts[i] } }; }",
            "\"GET /count\": () => ({ json: { count: 3 } })");
    static final String FACTS_BROKEN = module("\"GET /facts/{id}\": (req) => ({ json: { id: req.params.id, fact:"
            + " 'Cats sleep 16 hours a day.' } })");
    static final String EXAMPLES = """
            [{"name": "first fact", "request": {"method": "GET", "path": "/facts/0"},
              "expected": {"status": 200, "json": {"id": 0, "fact": "Cats sleep 16 hours a day."}}},
             {"name": "unknown fact", "request": {"method": "GET", "path": "/facts/9"}, "expected": {"status": 404}}]
            """;

    static FakeOpenAi vendor;

    static String module(String... routes) {
        return "export default { routes: {\n  " + String.join(",\n  ", routes) + "\n} };\n";
    }

    public static String answer(String code) {
        return "Here is the API.\n\n```javascript\n" + code + "```\n\n```json\n" + EXAMPLES
                + "```\n\nIt serves cat facts by index and answers 404 for unknown ones.";
    }

    /**
     * A fake vendor behind the profile's model. The assistant's tests (same profile, run before these) may have made
     * the model already, pointing at their vendor, which is gone: then its channel is pointed at this one.
     */
    public static FakeOpenAi serving(String model) throws IOException {
        FakeOpenAi fake = new FakeOpenAi("sk-fake-vendor", "gpt-4o-mini");
        Map<String, Object> channel = new HashMap<>(Map.of("provider", "openai", "base_url", fake.v1Url(), "api_key",
                "sk-fake-vendor", "upstream_model", "gpt-4o-mini", "priority", 0));
        List<Map<String, Object>> models = Api.admin().as().queryParam("limit", 1000).get("/api/v1/admin/models")
                .then().statusCode(200).extract().jsonPath().getList("$");
        String existing = models.stream().filter(m -> model.equals(m.get("name"))).map(m -> (String) m.get("id"))
                .findFirst().orElse(null);
        if (existing == null) {
            Api.admin().as().body(Map.of("name", model, "pricing", Map.of("input_per_million", 3,
                    "output_per_million", 15), "channels", List.of(channel))).post("/api/v1/admin/models").then()
                    .statusCode(201);
        } else {
            Api.admin().as().body(Map.of("channels", List.of(channel))).put("/api/v1/admin/models/" + existing)
                    .then().statusCode(200);
        }
        return fake;
    }

    @AfterAll
    static void stopVendor() {
        if (vendor != null) {
            vendor.close();
            vendor = null;
        }
    }

    @BeforeEach
    void resetVendor() throws IOException {
        if (vendor == null) {
            vendor = serving(MODEL);
        }
        vendor.replying(null);
        vendor.always(Reply.text(answer(FACTS)).tokens(1_000, 2_000));
    }

    static Portal providerWithCredit() {
        Portal provider = Portal.signUp("provider");
        Api.grantCredits(provider.user(), "1");
        return provider;
    }

    static String location(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(303);
        URI uri = URI.create(response.header("Location"));
        return uri.getRawQuery() == null ? uri.getPath() : uri.getPath() + "?" + uri.getRawQuery();
    }

    /** Polls the progress fragment as htmx does until the finished fragment (without a trigger) comes. */
    static String awaitDone(Portal portal, String jobPath) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Response fragment = portal.htmx("GET", jobPath + "/progress", Map.of());
            assertThat(fragment.statusCode()).isEqualTo(200);
            String html = fragment.asString();
            assertThat(html).doesNotContain("<html").contains("id=\"job-progress\"");
            if (!html.contains("hx-trigger")) {
                return html;
            }
            assertThat(System.nanoTime()).as("job %s finished", jobPath).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static String uuidAfter(String html, String prefix) {
        Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "(" + UUID_TEXT.pattern() + ")").matcher(html);
        assertThat(matcher.find()).as("%s… in the page", prefix).isTrue();
        return matcher.group(1);
    }

    static JsonPath versions(Portal provider, String apiId) {
        return provider.user().as().get("/api/v1/apis/" + apiId + "/versions").then().statusCode(200).extract()
                .jsonPath();
    }

    static Integer activeVersion(Portal provider, String apiId) {
        return versions(provider, apiId).getInt("find { it.active }.number");
    }

    /** The rows of a rendered diff of one kind (add, del, same, skip), as their HTML. */
    static List<String> diffRows(String html, String kind) {
        String pre = html.substring(html.indexOf("<pre class=\"diff\""), html.indexOf("</pre>",
                html.indexOf("<pre class=\"diff\"")));
        List<String> rows = new ArrayList<>();
        for (String row : pre.split("(?=<span class=\"(same|add|del|skip)\">)")) {
            if (row.startsWith("<span class=\"" + kind + "\">")) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void a_description_becomes_a_job_whose_page_shows_progress_then_the_highlighted_code_and_passing_examples()
            throws Exception {
        Portal provider = providerWithCredit();
        String name = Api.uniqueName("Cat facts");
        vendor.next(Reply.text(answer(FACTS)).tokens(1_000, 2_000).firstByteDelay(Duration.ofMillis(1_500)));

        String jobPath = location(provider.post("/create", Map.of("prompt", "An API of <b>cat facts</b> by index",
                "name", name)));
        assertThat(jobPath).matches("/create/jobs/" + UUID_TEXT.pattern());

        // while the model has not answered: the page polls (htmx) and refreshes (without scripts)
        String running = provider.get(jobPath).then().statusCode(200).extract().asString();
        assertThat(running).contains("hx-get=\"" + jobPath + "/progress\"").contains("hx-trigger=\"every 1s\"")
                .contains("<meta http-equiv=\"refresh\" content=\"2\">")
                .contains("An API of &lt;b&gt;cat facts&lt;/b&gt; by index").doesNotContain("<b>cat facts</b>")
                .doesNotContain("id=\"job-code\"");
        // one generation at a time, said on the form
        Response second = provider.post("/create", Map.of("prompt", "Dog facts"));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.asString()).contains("id=\"create-error\"").contains("generation running")
                .contains("Dog facts");

        String done = awaitDone(provider, jobPath);
        assertThat(done).contains("<span class=\"badge ok\">ready</span>").contains("1 attempt")
                .contains("cost $0.033")
                .contains("<span class=\"js-kw\">export</span> <span class=\"js-kw\">default</span>")
                .contains("<span class=\"js-str\">&quot;GET /facts/{id}&quot;</span>")
                .contains("<span class=\"js-num\">404</span>")
                .contains("Examples: 2 of 2 passed").contains("first fact").contains("unknown fact")
                .contains("<span class=\"badge ok\">passed</span>").doesNotContain("badge error")
                .contains("It serves cat facts by index").contains("Deploy version 1")
                .doesNotContain("deploy-force");
        assertThat(done).contains("tag\">generating</span>").contains("tag\">testing</span>");
        String page = provider.get(jobPath).then().statusCode(200).extract().asString();
        assertThat(page).doesNotContain("http-equiv=\"refresh\"").doesNotContain("hx-trigger")
                .contains("id=\"job-code\"").contains(name);

        // the recent jobs list it; another provider's does not, and their job page is a 404 page
        assertThat(provider.get("/create").then().statusCode(200).extract().asString()).contains(jobPath)
                .contains("generations in");
        Portal other = providerWithCredit();
        assertThat(other.get("/create").then().statusCode(200).extract().asString()).doesNotContain(jobPath)
                .contains("No generations yet");
        Response foreign = other.get(jobPath);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("text/html");
        assertThat(foreign.asString()).doesNotContain("cat facts").doesNotContain("js-kw");
        assertThat(other.htmx("GET", jobPath + "/progress", Map.of()).statusCode()).isEqualTo(404);
        assertThat(other.post(jobPath + "/deploy", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void drafts_deploy_as_versions_that_diff_and_roll_back_and_a_failed_one_needs_force() throws Exception {
        Portal provider = providerWithCredit();
        String jobPath = location(provider.post("/create", Map.of("prompt", "Cat facts by index", "name",
                Api.uniqueName("Facts"))));
        String done = awaitDone(provider, jobPath);
        String apiId = uuidAfter(done, "/create/apis/");
        assertThat(done).contains("/provider/apis/" + apiId).contains("not served until you deploy it");
        assertThat(versions(provider, apiId).getList("active")).containsExactly(false);

        assertThat(location(provider.post(jobPath + "/deploy", Map.of()))).isEqualTo(jobPath);
        String deployed = provider.get(jobPath).then().statusCode(200).extract().asString();
        assertThat(deployed).contains("Deployed: version 1").contains("id=\"job-live\"")
                .contains("href=\"/provider/apis/" + apiId + "\"").contains("href=\"/create/apis/" + apiId + "\"")
                .doesNotContain("Deploy version 1");
        assertThat(activeVersion(provider, apiId)).isEqualTo(1);

        // a second description for the same API, from its versions page, deployed: version 2
        vendor.next(Reply.text(answer(FACTS_V2)));
        String apiPage = provider.get("/create/apis/" + apiId).then().statusCode(200).extract().asString();
        assertThat(apiPage).contains("id=\"version-1\" class=\"active\"").contains("name=\"api_id\" value=\""
                + apiId + "\"");
        String secondJob = location(provider.post("/create", Map.of("prompt", "Add a third fact and a count",
                "api_id", apiId)));
        assertThat(awaitDone(provider, secondJob)).contains("Deploy version 2");
        location(provider.post(secondJob + "/deploy", Map.of()));
        assertThat(activeVersion(provider, apiId)).isEqualTo(2);

        String diff = provider.get("/create/apis/" + apiId + "/diff?from=1&to=2").then().statusCode(200).extract()
                .asString();
        assertThat(diff).contains("v1 → v2").contains("+2").contains("−1");
        List<String> added = diffRows(diff, "add");
        List<String> removed = diffRows(diff, "del");
        assertThat(added).hasSize(2);
        assertThat(added.get(0)).contains("Cats can rotate their ears 180 degrees.");
        assertThat(added.get(1)).contains("&quot;GET /count&quot;");
        assertThat(removed).hasSize(1);
        assertThat(removed.get(0)).contains("Cats have 32 muscles in each ear.").doesNotContain("rotate");
        assertThat(diffRows(diff, "same")).anySatisfy(row -> assertThat(row).contains("export default"));

        // a version's own code and tests
        String v1 = provider.get("/create/apis/" + apiId + "/versions/1").then().statusCode(200).extract()
                .asString();
        assertThat(v1).contains("Version 1 <span class=\"badge ok\">ready</span>").contains("first fact")
                .doesNotContain("rotate");

        // rollback to version 1
        assertThat(location(provider.post("/create/apis/" + apiId + "/versions/1/activate", Map.of())))
                .isEqualTo("/create/apis/" + apiId);
        assertThat(activeVersion(provider, apiId)).isEqualTo(1);
        assertThat(provider.get("/create/apis/" + apiId).then().statusCode(200).extract().asString())
                .contains("Version 1 is now served").contains("id=\"version-1\" class=\"active\"");

        // a version whose tests failed (deployed with force over the API) is activated only with force
        List<Map<String, Object>> tests = JSON.readValue(EXAMPLES, new TypeReference<>() {
        });
        provider.user().as().body(Map.of("api_id", apiId, "code", FACTS_BROKEN, "tests", tests, "force", true))
                .post("/api/v1/deploy").then().statusCode(200);
        location(provider.post("/create/apis/" + apiId + "/versions/1/activate", Map.of()));
        String withFailed = provider.get("/create/apis/" + apiId).then().statusCode(200).extract().asString();
        assertThat(withFailed).contains("id=\"force-3\"").contains("<span class=\"badge error\">failed</span>");
        Response refused = provider.post("/create/apis/" + apiId + "/versions/3/activate", Map.of());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.asString()).contains("id=\"version-error\"").contains("failed its tests");
        assertThat(activeVersion(provider, apiId)).isEqualTo(1);
        location(provider.post("/create/apis/" + apiId + "/versions/3/activate", Map.of("force", "true")));
        assertThat(activeVersion(provider, apiId)).isEqualTo(3);

        // another provider sees none of it and changes nothing
        Portal other = providerWithCredit();
        for (String path : List.of("/create/apis/" + apiId, "/create/apis/" + apiId + "/versions/1",
                "/create/apis/" + apiId + "/diff?from=1&to=2")) {
            Response foreign = other.get(path);
            assertThat(foreign.statusCode()).as(path).isIn(403, 404);
            assertThat(foreign.asString()).as(path).doesNotContain("Cats sleep").doesNotContain("js-kw");
        }
        assertThat(other.post("/create/apis/" + apiId + "/versions/1/activate", Map.of()).statusCode()).isIn(403,
                404);
        assertThat(activeVersion(provider, apiId)).isEqualTo(3);

        // suggestions from the model, for the active version
        vendor.always(Reply.text("[{\"kind\": \"validation\", \"title\": \"Check the id\", \"detail\": \"Answer"
                + " 400 for ids that are not numbers.\"}]"));
        Response suggested = provider.htmx("POST", "/create/apis/" + apiId + "/suggestions", Map.of());
        assertThat(suggested.statusCode()).isEqualTo(200);
        assertThat(suggested.asString()).doesNotContain("<html").contains("id=\"suggestions\"")
                .contains("Check the id").contains("Answer 400 for ids that are not numbers.").contains("Version 3");
    }

    @Test
    void pages_refuse_posts_without_the_csrf_token_and_consumers_and_strangers() {
        Portal provider = providerWithCredit();
        Response forged = provider.request().contentType("application/x-www-form-urlencoded")
                .formParam("prompt", "Cat facts").post("/create");
        assertThat(forged.statusCode()).isEqualTo(403);
        provider.user().as().get("/api/v1/generate").then().statusCode(200)
                .body("jobs.size()", org.hamcrest.Matchers.equalTo(0));

        Portal consumer = Portal.signUp("consumer");
        assertThat(consumer.get("/create").statusCode()).isEqualTo(403);
        Response anonymous = Portal.anonymous().get("/create");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.header("Location")).contains("/signin?next=%2Fcreate");
    }

    // ---- the assistant ----------------------------------------------------------------------------------------

    @Test
    void the_assistant_panel_sends_a_message_and_shows_the_models_answer() {
        Portal provider = providerWithCredit();
        Response empty = provider.htmx("GET", "/create/assistant", Map.of());
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.asString()).doesNotContain("<html").contains("id=\"assistant-panel\"")
                .contains("No messages yet").contains("hx-post=\"/create/assistant/messages\"")
                .contains("<label for=\"assistant-message\">").doesNotContain("assistant-model-problem");

        vendor.always(Reply.text("Add \"GET /facts/{id}\" to routes & <deploy>.").tokens(100, 10));
        Response answered = provider.htmx("POST", "/create/assistant/messages", Map.of("message",
                "How do I add a route?", "conversation_id", ""));
        assertThat(answered.statusCode()).isEqualTo(200);
        String fragment = answered.asString();
        assertThat(fragment).doesNotContain("<html").contains("How do I add a route?")
                .contains("Add &quot;GET /facts/{id}&quot; to routes &amp; &lt;deploy&gt;.")
                .contains(MODEL).doesNotContain("No messages yet");
        String conversation = uuidAfter(fragment, "id=\"assistant-conversation\" value=\"");

        // a follow-up continues the conversation: the model gets the earlier turn
        vendor.always(Reply.text("Then deploy it."));
        assertThat(provider.htmx("POST", "/create/assistant/messages", Map.of("message", "And then?",
                "conversation_id", conversation)).asString()).contains("How do I add a route?")
                .contains("Then deploy it.");
        assertThat(vendor.last().body().path("messages")).hasSize(4);

        // the panel (and the whole page without htmx) shows the last conversation
        String page = provider.get("/create/assistant").then().statusCode(200).extract().asString();
        assertThat(page).contains("<html").contains("Then deploy it.").contains("value=\"" + conversation + "\"");
        // a normal form post answers with a redirect back
        assertThat(location(provider.post("/create/assistant/messages", Map.of("message", "Thanks",
                "conversation_id", conversation)))).isEqualTo("/create/assistant?conversation=" + conversation);

        // a new conversation starts empty; the earlier one is listed
        String fresh = provider.htmx("GET", "/create/assistant?new=true", Map.of()).asString();
        assertThat(fresh).contains("No messages yet").contains("id=\"assistant-conversation\" value=\"\"")
                .contains("/create/assistant?conversation=" + conversation);

        // without the CSRF token nothing is sent or stored
        int before = vendor.calls();
        Response forged = provider.request().header("HX-Request", "true")
                .contentType("application/x-www-form-urlencoded").formParam("message", "Forged")
                .post("/create/assistant/messages");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(vendor.calls()).isEqualTo(before);
        assertThat(provider.get("/create/assistant").asString()).doesNotContain("Forged");

        // another user cannot open this conversation
        Portal other = Portal.signUp("consumer");
        Response foreign = other.get("/create/assistant?conversation=" + conversation);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.asString()).doesNotContain("How do I add a route?");
        assertThat(other.get("/create/assistant").asString()).doesNotContain("How do I add a route?");
    }

    @Test
    void the_assistant_says_when_the_user_has_no_credit_and_keeps_the_message() {
        Portal poor = Portal.signUp("consumer");
        Response refused = poor.htmx("POST", "/create/assistant/messages", Map.of("message", "Hello?"));
        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(refused.asString()).contains("id=\"assistant-error\"").contains("Not enough credit");
        Response page = poor.post("/create/assistant/messages", Map.of("message", "Hello again?"));
        assertThat(page.statusCode()).isEqualTo(402);
        assertThat(page.asString()).contains("<html").contains("Not enough credit")
                .contains(">Hello again?</textarea>");
        poor.user().as().get("/api/v1/assistant/conversations").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }
}
