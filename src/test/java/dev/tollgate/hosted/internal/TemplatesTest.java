package dev.tollgate.hosted.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.tollgate.hosted.internal.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/** Every template of the library loads in the sandbox and passes its own tests. */
class TemplatesTest {

    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = new Sandbox(new Sandbox.Limits(Duration.ofSeconds(2), 64L * 1024 * 1024, 50_000_000, 1));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void there_are_at_least_twelve_described_templates_with_tests() {
        List<Templates.Template> all = Templates.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(12);
        assertThat(all).extracting(Templates.Template::id).doesNotHaveDuplicates();
        for (Templates.Template template : all) {
            assertThat(template.name()).as(template.id()).isNotBlank();
            assertThat(template.description()).as(template.id()).isNotBlank();
            assertThat(template.category()).as(template.id()).isNotBlank();
            assertThat(template.tests()).as(template.id()).hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(Templates.byId("todo-list")).hasValueSatisfying(t -> assertThat(t.code()).contains("kv."));
        assertThat(Templates.byId("nothing")).isEmpty();
    }

    @Test
    void every_template_passes_its_tests() {
        for (Templates.Template template : Templates.all()) {
            Sandbox.Program program = sandbox.load(template.code());
            List<ProgramTests.TestResult> results = ProgramTests.run(program, template.tests(), new Bindings(Map.of(),
                    new MemoryKvStore(1000), Fetcher.NONE));
            assertThat(results).as(template.id()).hasSameSizeAs(template.tests());
            for (ProgramTests.TestResult result : results) {
                assertThat(result.passed()).as(template.id() + ": " + result.name() + ": " + result.error() + " (got "
                        + result.actualStatus() + " " + result.actualBody() + ")").isTrue();
            }
            // the documented routes are the ones the code exports
            assertThat(RouteDocument.of(template.name(), template.description(), "1", program.routes()).get("paths")
                    .size()).as(template.id()).isPositive();
            program.discard();
        }
    }

    @Test
    void the_webhook_relay_posts_onward_to_its_secret_url() {
        List<Fetcher.FetchRequest> sent = new java.util.ArrayList<>();
        Fetcher upstream = fetch -> {
            sent.add(fetch);
            return new Fetcher.FetchResponse(202, Map.of(), "");
        };
        Sandbox.Program program = sandbox.load(Templates.byId("webhook-relay").orElseThrow().code());
        HostedResponse response = program.handle(request("POST", "/relay", "{\"event\":\"ping\"}"), new Bindings(Map
                .of("RELAY_URL", "https://hooks.example/in"), null, upstream));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("{\"relayed\":true,\"upstreamStatus\":202,\"ok\":true}");
        assertThat(sent).singleElement().satisfies(fetch -> {
            assertThat(fetch.url()).isEqualTo("https://hooks.example/in");
            assertThat(fetch.method()).isEqualTo("POST");
            assertThat(fetch.body()).isEqualTo("{\"event\":\"ping\"}");
        });
        Fetcher refusing = fetch -> {
            throw new Sandbox.Failure("error", fetch.url() + " points at an internal address, which is not allowed");
        };
        HostedResponse refused = program.handle(request("POST", "/relay", "{}"), new Bindings(Map.of("RELAY_URL",
                "http://127.0.0.1/"), null, refusing));
        assertThat(refused.status()).isEqualTo(502);
        // the caller learns neither the target nor why it failed
        assertThat(refused.text()).isEqualTo("{\"relayed\":false,\"error\":\"The relay target could not be"
                + " reached\"}");
    }
}
