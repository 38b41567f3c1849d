package dev.tollgate.hosted;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.ChargeLines;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Hosted APIs end to end: code deployed with its tests, served through the gateway with a key and a paid plan
 * (charged once), versions and rollback, secrets as env, the key/value store, templates, the derived endpoints, and
 * the refusals (code that does not load, failing tests, someone else's API, a proxied API).
 */
abstract class HostedApisScenarios {

    static final String HELLO_V1 = Hosted.module(
            "\"GET /hello/{name}\": (req) => ({ json: { greeting: 'Hello, ' + req.params.name, version: 1 } })",
            "\"POST /sum\": (req) => ({ status: 201, json: { sum: req.json.numbers.reduce((a, b) => a + b, 0) } })");
    static final String HELLO_V2 = Hosted.module(
            "\"GET /hello/{name}\": (req) => ({ json: { greeting: 'Hi, ' + req.params.name, version: 2 } })");

    @Test
    void deployed_code_is_served_through_the_gateway_and_each_call_is_charged_once() throws Exception {
        Api.User provider = Api.register("provider");
        JsonPath deployed = provider.as().body(Map.of("name", Api.uniqueName("Greeter"), "visibility", "public",
                "code", HELLO_V1, "tests", Hosted.tests(
                        Hosted.test("greets", "GET", "/hello/ada", 200, Map.of("greeting", "Hello, ada")))))
                .post("/api/v1/deploy").then().statusCode(200).extract().jsonPath();
        assertThat(deployed.getString("api.kind")).isEqualTo("hosted");
        assertThat(deployed.getInt("version.number")).isEqualTo(1);
        assertThat(deployed.getString("version.status")).isEqualTo("ready");
        assertThat(deployed.getBoolean("version.active")).isTrue();
        assertThat(deployed.getBoolean("deployed")).isTrue();
        assertThat(deployed.getString("api.base_url")).isNull();
        PublishedApi api = new PublishedApi(provider, deployed.getString("api.id"), deployed.getString("api.slug"),
                null);

        Caller caller = Gateway.payingCaller(api, "0.002", "1");
        caller.call().get("/gw/" + api.slug() + "/hello/bob").then().statusCode(200)
                .contentType("application/json").body("greeting", equalTo("Hello, bob"))
                .header("X-Request-ID", not(equalTo(null)));
        caller.call().contentType("application/json").body(Map.of("numbers", List.of(1, 2, 3.5)))
                .post("/gw/" + api.slug() + "/sum").then().statusCode(201).body("sum", equalTo(6.5f));
        // no route: the code's 404, which is an answer and charged like any other
        caller.call().get("/gw/" + api.slug() + "/nothing").then().statusCode(404)
                .body("error", containsString("No route"));

        ChargeLines.await(provider, 3);
        assertThat(ChargeLines.of(caller.consumer()).calls()).isEqualTo(3);
        assertThat(ChargeLines.of(caller.consumer()).amount()).isEqualByComparingTo("-0.006");

        // the listing shows the routes as endpoints
        given().auth().oauth2(Api.registerConsumer().accessToken()).get("/api/v1/apis/" + api.id() + "/endpoints")
                .then().statusCode(200).body("path", hasItem("/hello/{name}")).body("method", hasItem("POST"));
        provider.as().get("/api/v1/apis/" + api.id() + "/versions/1/openapi").then().statusCode(200)
                .body("openapi", equalTo("3.0.3")).body("paths.'/hello/{name}'.get.parameters[0].name",
                        equalTo("name"));
    }

    @Test
    void versions_are_kept_and_a_rollback_is_served_within_a_second() throws Exception {
        Api.User provider = Api.register("provider");
        PublishedApi api = Hosted.deployNew(provider, HELLO_V1, Map.of());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/hello/x").then().statusCode(200).body("version", equalTo(1));

        JsonPath second = Hosted.deploy(provider, Map.of("api_id", api.id(), "code", HELLO_V2));
        assertThat(second.getInt("version.number")).isEqualTo(2);
        assertThat(second.getString("version.status")).isEqualTo("untested");
        caller.call().get("/gw/" + api.slug() + "/hello/x").then().statusCode(200).body("version", equalTo(2));

        JsonPath versions = provider.as().get("/api/v1/apis/" + api.id() + "/versions").then().statusCode(200)
                .extract().jsonPath();
        assertThat(versions.getList("number")).containsExactly(2, 1);
        assertThat(versions.getList("active")).containsExactly(true, false);
        assertThat(versions.getList("author_id")).containsOnly(provider.id());
        assertThat(versions.getString("[0].code")).isNull();
        provider.as().get("/api/v1/apis/" + api.id() + "/versions/1").then().statusCode(200)
                .body("code", equalTo(HELLO_V1)).body("test_results", equalTo(List.of()));

        // api_id alone serves the latest version: a no-op now
        Hosted.deploy(provider, Map.of("api_id", api.id()));
        caller.call().get("/gw/" + api.slug() + "/hello/x").then().statusCode(200).body("version", equalTo(2));
        long started = System.nanoTime();
        provider.as().post("/api/v1/apis/" + api.id() + "/versions/1/activate").then().statusCode(200)
                .body("version.number", equalTo(1)).body("version.active", equalTo(true));
        awaitVersion(caller, api, 1, Duration.ofSeconds(1).minusNanos(System.nanoTime() - started));
        provider.as().get("/api/v1/apis/" + api.id() + "/versions/9").then().statusCode(404);
    }

    private static void awaitVersion(Caller caller, PublishedApi api, int version, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(within.toNanos(), 0);
        while (true) {
            int served = caller.call().get("/gw/" + api.slug() + "/hello/x").then().statusCode(200).extract()
                    .jsonPath().getInt("version");
            if (served == version) {
                return;
            }
            assertThat(System.nanoTime()).as("version %d served within a second", version).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void failing_tests_stop_a_deploy_unless_forced_and_code_that_does_not_load_is_refused() {
        Api.User provider = Api.register("provider");
        String name = Api.uniqueName("Strict");
        provider.as().body(Map.of("name", name, "code", HELLO_V1, "tests", Hosted.tests(
                Hosted.test("wrong", "GET", "/hello/ada", 200, Map.of("greeting", "Bonjour, ada")))))
                .post("/api/v1/deploy").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("1 of 1 tests failed")).body("tests[0].passed", equalTo(false));
        provider.as().body(Map.of("name", name, "code", "export default { routes: { \"GET /\": ( } };"))
                .post("/api/v1/deploy").then().statusCode(422).body("errors.field", hasItem("code"))
                .body("errors.message", hasItem(containsString("does not load")));
        provider.as().body(Map.of("name", name, "code", HELLO_V1, "template", "echo")).post("/api/v1/deploy")
                .then().statusCode(422);
        provider.as().body(Map.of("code", HELLO_V1)).post("/api/v1/deploy").then().statusCode(422)
                .body("errors.field", hasItem("name"));
        provider.as().body(Map.of("name", name, "code", HELLO_V1, "tests", List.of(Map.of("request", 1))))
                .post("/api/v1/deploy").then().statusCode(422).body("errors.field", hasItem("tests"));
        provider.as().get("/api/v1/apis").then().statusCode(200).body("size()", equalTo(0));

        JsonPath forced = Hosted.deploy(provider, Map.of("name", name, "code", HELLO_V1, "force", true, "tests",
                Hosted.tests(Hosted.test("wrong", "GET", "/hello/ada", 200, Map.of("greeting", "Bonjour")))));
        assertThat(forced.getString("version.status")).isEqualTo("failed");
        assertThat(forced.getBoolean("version.active")).isTrue();
        String apiId = forced.getString("api.id");
        Hosted.deploy(provider, Map.of("api_id", apiId, "code", HELLO_V2));
        provider.as().post("/api/v1/apis/" + apiId + "/versions/1/activate").then().statusCode(409);
        provider.as().post("/api/v1/apis/" + apiId + "/versions/1/activate?force=true").then().statusCode(200);
    }

    @Test
    void only_the_owner_manages_a_hosted_api_and_proxied_apis_have_no_versions() {
        Api.User provider = Api.register("provider");
        PublishedApi api = Hosted.deployNew(provider, HELLO_V1, Map.of("visibility", "private"));
        Api.User other = Api.register("provider");
        other.as().get("/api/v1/apis/" + api.id() + "/versions").then().statusCode(404);
        other.as().body(Map.of("api_id", api.id(), "code", HELLO_V2)).post("/api/v1/deploy").then()
                .statusCode(404);
        other.as().body(Map.of("name", "s", "value", "v")).post("/api/v1/apis/" + api.id() + "/secrets").then()
                .statusCode(404);
        Api.registerConsumer().as().body(Map.of("name", "x", "code", HELLO_V1)).post("/api/v1/deploy").then()
                .statusCode(403);
        given().contentType("application/json").body(Map.of("name", "x", "code", HELLO_V1))
                .post("/api/v1/deploy").then().statusCode(401);

        PublishedApi proxied = Gateway.publish(provider, "http://127.0.0.1:9", Map.of());
        provider.as().get("/api/v1/apis/" + proxied.id() + "/versions").then().statusCode(409)
                .body("detail", containsString("proxied"));
        provider.as().body(Map.of("base_url", "http://127.0.0.1:9")).put("/api/v1/apis/" + api.id()).then()
                .statusCode(422).body("errors.field", hasItem("base_url"));
        provider.as().get("/api/v1/apis/" + api.id()).then().statusCode(200).body("kind", equalTo("hosted"));
    }

    @Test
    void secrets_reach_the_code_as_env_and_are_never_shown_again() {
        Api.User provider = Api.register("provider");
        PublishedApi api = Hosted.deployNew(provider, Hosted.module(
                "\"GET /auth\": (req) => ({ json: { configured: typeof env.UPSTREAM_TOKEN === 'string',"
                        + " length: (env.UPSTREAM_TOKEN || '').length, names: Object.keys(env) } })"),
                Map.of());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/auth").then().statusCode(200).body("configured", equalTo(false));

        String secret = "tok_" + java.util.UUID.randomUUID();
        String set = provider.as().body(Map.of("name", "UPSTREAM_TOKEN", "value", secret))
                .post("/api/v1/apis/" + api.id() + "/secrets").then().statusCode(200)
                .body("name", equalTo("UPSTREAM_TOKEN")).extract().asString();
        assertThat(set).doesNotContain(secret);
        caller.call().get("/gw/" + api.slug() + "/auth").then().statusCode(200).body("configured", equalTo(true))
                .body("length", equalTo(secret.length())).body("names", equalTo(List.of("UPSTREAM_TOKEN")));
        assertThat(provider.as().get("/api/v1/apis/" + api.id() + "/secrets").then().statusCode(200)
                .body("name", equalTo(List.of("UPSTREAM_TOKEN"))).extract().asString()).doesNotContain(secret);

        provider.as().body(Map.of("name", "lower-case", "value", "")).post("/api/v1/apis/" + api.id() + "/secrets")
                .then().statusCode(422).body("errors.field", hasItem("name")).body("errors.field", hasItem("value"));
        provider.as().delete("/api/v1/apis/" + api.id() + "/secrets/UPSTREAM_TOKEN").then().statusCode(204);
        provider.as().delete("/api/v1/apis/" + api.id() + "/secrets/UPSTREAM_TOKEN").then().statusCode(404);
        caller.call().get("/gw/" + api.slug() + "/auth").then().statusCode(200).body("configured", equalTo(false));
    }

    @Test
    void the_key_value_template_keeps_state_between_calls() {
        JsonPath templates = Api.registerConsumer().as().get("/api/v1/templates").then().statusCode(200).extract()
                .jsonPath();
        assertThat(templates.getList("id")).hasSizeGreaterThanOrEqualTo(12).contains("echo", "key-value-store");
        Api.User provider = Api.register("provider");
        provider.as().get("/api/v1/templates/key-value-store").then().statusCode(200)
                .body("code", containsString("kv.")).body("tests.size()", org.hamcrest.Matchers.greaterThan(0));
        provider.as().get("/api/v1/templates/nope").then().statusCode(404);

        JsonPath deployed = Hosted.deploy(provider, Map.of("name", Api.uniqueName("Store"), "template",
                "key-value-store", "visibility", "public"));
        assertThat(deployed.getString("version.source")).isEqualTo("template");
        assertThat(deployed.getString("version.template_id")).isEqualTo("key-value-store");
        assertThat(deployed.getString("version.status")).isEqualTo("ready");
        PublishedApi api = new PublishedApi(provider, deployed.getString("api.id"), deployed.getString("api.slug"),
                provider.as().get("/api/v1/apis/" + deployed.getString("api.id") + "/plans").then().extract()
                        .jsonPath().getString("[0].id"));
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        String base = "/gw/" + api.slug();
        String key = "k" + System.nanoTime();
        // the template's own tests ran on a scratch store: the API's store is still empty
        caller.call().get(base + "/items").then().statusCode(200).body("keys", equalTo(List.of()));
        caller.call().contentType("application/json").body(Map.of("value", "hello")).put(base + "/items/" + key)
                .then().statusCode(201);
        caller.call().get(base + "/items/" + key).then().statusCode(200).body("value.value", equalTo("hello"));
        caller.call().get(base + "/items").then().statusCode(200).body("keys", equalTo(List.of(key)));
        caller.call().delete(base + "/items/" + key).then().statusCode(204);
        caller.call().get(base + "/items/" + key).then().statusCode(404);
    }

    @Test
    void a_call_in_flight_finishes_on_its_version_while_the_next_one_gets_the_new_one() throws Exception {
        Api.User provider = Api.register("provider");
        String slow = Hosted.module("\"GET /hello/{name}\": (req) => { const until = Date.now() + Number(req.query.ms"
                + " ?? 0); while (Date.now() < until) {} return { json: { version: 1 } }; }");
        PublishedApi api = Hosted.deployNew(provider, slow, Map.of());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        java.util.concurrent.CompletableFuture<Integer> inFlight = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> caller.call().queryParam("ms", 1500).get("/gw/" + api.slug() + "/hello/x").then()
                        .log().ifValidationFails().statusCode(200).extract().jsonPath().getInt("version"));
        Thread.sleep(300);
        Hosted.deploy(provider, Map.of("api_id", api.id(), "code", HELLO_V2));
        caller.call().get("/gw/" + api.slug() + "/hello/x").then().statusCode(200).body("version", equalTo(2));
        assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void a_runaway_api_gets_504_is_not_charged_and_leaves_other_apis_alone() throws Exception {
        Api.User provider = Api.register("provider");
        PublishedApi runaway = Hosted.deployNew(provider, Hosted.module(
                "\"GET /spin\": () => { for (;;) {} }",
                "\"GET /crash\": () => { throw new Error('boom'); }",
                "\"GET /grow\": () => { const a = []; for (;;) a.push('x'.repeat(1e4)); }",
                "\"GET /java\": () => ({ json: Java.type('java.lang.System').getenv() })",
                "\"GET /file\": async () => ({ json: await import('/etc/passwd') })"), Map.of());
        provider.as().body(Map.of("timeout_ms", 500)).put("/api/v1/apis/" + runaway.id()).then().statusCode(200);
        PublishedApi healthy = Hosted.deployNew(provider, HELLO_V1, Map.of());
        Caller caller = Gateway.payingCaller(runaway, "0.01", "1");
        Caller other = Gateway.subscribe(healthy, healthy.defaultPlanId());
        String base = "/gw/" + runaway.slug();

        java.util.concurrent.CompletableFuture<Integer> spinning = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> caller.call().get(base + "/spin").then().extract().statusCode());
        other.call().get("/gw/" + healthy.slug() + "/hello/x").then().statusCode(200).body("version", equalTo(1));
        assertThat(spinning.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(504);
        caller.call().get(base + "/spin").then().statusCode(504).contentType("application/problem+json")
                .body("detail", containsString("500 ms"));
        caller.call().get(base + "/crash").then().statusCode(502).body("detail", containsString("boom"));
        caller.call().get(base + "/grow").then().statusCode(org.hamcrest.Matchers.oneOf(502, 504));
        caller.call().get(base + "/java").then().statusCode(502).body("detail", containsString("Java"));
        caller.call().get(base + "/file").then().statusCode(502);
        other.call().get("/gw/" + healthy.slug() + "/hello/y").then().statusCode(200);

        // none of those was an answer of the code: nothing charged, nothing held
        Thread.sleep(300);
        JsonPath credits = caller.consumer().as().get("/api/v1/users/me/credits").then().statusCode(200).extract()
                .jsonPath();
        assertThat(new java.math.BigDecimal(credits.getString("balance"))).isEqualByComparingTo("1");
        assertThat(new java.math.BigDecimal(credits.getString("reserved"))).isEqualByComparingTo("0");
    }

    @Test
    void without_a_generator_model_generation_and_suggestions_say_how_to_configure_one() {
        Api.User provider = Api.register("provider");
        provider.as().body(Map.of("prompt", "Cat facts")).post("/api/v1/generate").then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("TOLLGATE_GENERATOR_MODEL"));
        PublishedApi api = Hosted.deployNew(provider, HELLO_V1, Map.of());
        provider.as().get("/api/v1/suggestions?api_id=" + api.id()).then().statusCode(503)
                .body("detail", containsString("TOLLGATE_GENERATOR_MODEL"));
        provider.as().get("/api/v1/generate").then().statusCode(200).body("api_generation_count", equalTo(0));
    }

    @Test
    void the_gateway_frames_the_response_whatever_headers_the_code_sets() throws Exception {
        Api.User provider = Api.register("provider");
        PublishedApi api = Hosted.deployNew(provider, Hosted.module("\"GET /split\": () => ({ headers: {"
                + " 'content-length': '0', 'transfer-encoding': 'chunked', 'connection': 'close', 'x-request-id':"
                + " 'forged', 'x-custom': 'kept' }, text: 'HTTP/1.1 200 OK\\r\\ncontent-length: 6\\r\\n\\r\\nforged' })"),
                Map.of());
        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        for (int i = 0; i < 2; i++) { // the same keep-alive connection serves both
            io.restassured.response.Response response = caller.call().header("X-Request-ID", "req-" + i)
                    .get("/gw/" + api.slug() + "/split");
            response.then().statusCode(200).header("x-custom", "kept").header("X-Request-ID", "req-" + i);
            assertThat(response.asString()).startsWith("HTTP/1.1 200 OK").endsWith("forged");
            assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(response.asByteArray().length));
        }
    }

    @Test
    void one_api_runs_at_most_half_the_workers_and_a_client_that_leaves_still_pays_for_the_answer()
            throws Exception {
        Api.User provider = Api.register("provider");
        PublishedApi api = Hosted.deployNew(provider, Hosted.module("\"GET /slow\": (req) => { const until ="
                + " Date.now() + Number(req.query.ms); while (Date.now() < until) {} return { json: { done: true } }; }"),
                Map.of());
        Caller caller = Gateway.payingCaller(api, "0.01", "1");
        // the test runtime has 4 workers: an API gets 2 at a time
        List<java.util.concurrent.CompletableFuture<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> caller.call().queryParam("ms", 1500)
                    .get("/gw/" + api.slug() + "/slow").then().extract().statusCode()));
            Thread.sleep(100);
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (var call : calls) {
            statuses.add(call.get(20, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 200, 503);
        ChargeLines.await(provider, 2);

        // a client that sends its call and leaves: the code answers, and the call is charged once
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("GET /gw/" + api.slug() + "/slow?ms=500 HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + caller.key() + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            Thread.sleep(100);
        }
        ChargeLines.await(provider, 3);
        Thread.sleep(300);
        assertThat(ChargeLines.of(caller.consumer()).calls()).isEqualTo(3);
    }
}
