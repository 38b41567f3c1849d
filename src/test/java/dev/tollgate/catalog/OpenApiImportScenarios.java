package dev.tollgate.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway;
import dev.tollgate.testing.Gateway.Caller;
import dev.tollgate.testing.Gateway.PublishedApi;
import dev.tollgate.testing.WithUpstream;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Importing an API's endpoints from real OpenAPI 3.0 and 3.1 documents (sent as YAML or JSON, or fetched from a
 * URL), refusing broken ones with a 422 that says what is wrong and changes nothing, showing the endpoints on the
 * listing and in search, and naming calls in the usage by the operation's path template.
 */
abstract class OpenApiImportScenarios extends WithUpstream {

    private static HttpServer documents;

    @BeforeAll
    static void serveDocuments() throws IOException {
        documents = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        documents.createContext("/petstore.yaml", exchange -> {
            byte[] body = resource("petstore-3.0.yaml").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/yaml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        documents.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/petstore.yaml");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        documents.start();
    }

    @AfterAll
    static void stopDocuments() {
        documents.stop(0);
    }

    @Test
    void the_petstore_yaml_becomes_three_endpoints_with_resolved_schemas() {
        // petstore-3.0.yaml is the OpenAPI Initiative's examples/v3.0/petstore.yaml
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        JsonPath imported = api.provider().as().contentType("application/yaml").body(bytes("petstore-3.0.yaml"))
                .post("/api/v1/apis/" + api.id() + "/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(imported.getString("title")).isEqualTo("Swagger Petstore");
        assertThat(imported.getString("openapi")).isEqualTo("3.0.0");
        assertThat(imported.getInt("endpoint_count")).isEqualTo(3);

        JsonPath endpoints = given().auth().oauth2(Api.registerConsumer().accessToken())
                .get("/api/v1/apis/" + api.id() + "/endpoints").then().statusCode(200).extract().jsonPath();
        assertThat(endpoints.getList("method")).containsExactly("GET", "POST", "GET");
        assertThat(endpoints.getList("path")).containsExactly("/pets", "/pets", "/pets/{petId}");
        assertThat(endpoints.getList("operation_id")).containsExactly("listPets", "createPets", "showPetById");
        assertThat(endpoints.getString("[0].summary")).isEqualTo("List all pets");
        assertThat(endpoints.getString("[0].parameters[0].name")).isEqualTo("limit");
        assertThat(endpoints.getInt("[0].parameters[0].schema.maximum")).isEqualTo(100);
        // local references are resolved: the request body's schema is the Pet object itself
        assertThat(endpoints.getList("[1].request_body.content.'application/json'.schema.required"))
                .containsExactly("id", "name");
        assertThat(endpoints.getString("[2].responses.'200'.content.'application/json'.schema.properties.name.type"))
                .isEqualTo("string");
        assertThat(endpoints.getString("[2].parameters[0].in")).isEqualTo("path");
    }

    @Test
    void an_openapi_3_1_json_document_imports_with_path_level_parameters() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        api.provider().as().body(resource("tides-3.1.json")).post("/api/v1/apis/" + api.id() + "/openapi").then()
                .statusCode(200).body("openapi", equalTo("3.1.0")).body("endpoint_count", equalTo(2))
                .body("endpoints.path", equalTo(List.of("/harbours/{harbourId}/tides", "/harbours/nearest")))
                .body("endpoints[0].parameters.name", equalTo(List.of("harbourId", "date")))
                .body("endpoints[0].responses.'200'.content.'application/json'.schema.items.properties.height_m.type",
                        equalTo("number"));
        // the OpenAPI Initiative's own 3.1 example (examples/v3.1/non-oauth-scopes.json): an operation without responses
        api.provider().as().body(resource("non-oauth-scopes-3.1.json")).post("/api/v1/apis/" + api.id() + "/openapi")
                .then().statusCode(200).body("title", equalTo("Non-oAuth Scopes example"))
                .body("endpoints.path", equalTo(List.of("/users"))).body("endpoints[0].method", equalTo("GET"));
    }

    @Test
    void a_document_is_fetched_from_a_url_but_never_through_a_redirect() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        String base = "http://127.0.0.1:" + documents.getAddress().getPort();
        api.provider().as().body(Map.of("url", base + "/petstore.yaml")).post("/api/v1/apis/" + api.id() + "/openapi")
                .then().statusCode(200).body("endpoint_count", equalTo(3));
        api.provider().as().body(Map.of("url", base + "/moved")).post("/api/v1/apis/" + api.id() + "/openapi").then()
                .statusCode(422).body("errors.field", hasItem("url")).body("detail", containsString("redirect"));
        api.provider().as().body(Map.of("url", base + "/missing")).post("/api/v1/apis/" + api.id() + "/openapi")
                .then().statusCode(422).body("detail", containsString("404"));
        api.provider().as().body(Map.of("url", "ftp://example.com/doc.yaml")).post("/api/v1/apis/" + api.id()
                + "/openapi").then().statusCode(422).body("errors.field", hasItem("url"));
    }

    @Test
    void broken_documents_are_422_saying_what_is_wrong_and_keep_the_endpoints_there_were() {
        PublishedApi api = Gateway.publish(upstream.baseUrl());
        api.provider().as().contentType("application/yaml").body(bytes("petstore-3.0.yaml"))
                .post("/api/v1/apis/" + api.id() + "/openapi").then().statusCode(200);

        Map<String, String> broken = Map.of(
                "not: [yaml", "not JSON or YAML",
                "swagger: '2.0'\ninfo: {title: Old, version: '1'}\npaths: {}\n", "OpenAPI 3.0 or 3.1",
                "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                        + "        '200': {description: ok, content: {application/json: {schema: "
                        + "{$ref: 'https://evil.example/schema.json'}}}}\n",
                "refers outside the document",
                "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n", "no operations",
                "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n",
                "info");
        // each level refers twice to the next: 2^30 objects once resolved; refused at the size limit, not expanded
        StringBuilder doubling = new StringBuilder("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n"
                + "    post:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/L0'}}}}\n"
                + "      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n");
        for (int level = 0; level < 30; level++) {
            doubling.append("    L").append(level)
                    .append(": {type: object, properties: {a: {$ref: '#/components/schemas/L")
                    .append(level + 1).append("'}, b: {$ref: '#/components/schemas/L").append(level + 1)
                    .append("'}}}\n");
        }
        doubling.append("    L30: {type: string}\n");
        api.provider().as().contentType("application/yaml").body(doubling.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/apis/" + api.id() + "/openapi").then().statusCode(422)
                .body("detail", containsString("once references are resolved"));
        broken.forEach((document, why) -> api.provider().as().contentType("application/yaml")
                .body(document.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/apis/" + api.id() + "/openapi").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString(why)));
        api.provider().as().contentType("application/yaml").body(new byte[0])
                .post("/api/v1/apis/" + api.id() + "/openapi")
                .then().statusCode(422);

        Api.register("provider").as().contentType("application/yaml").body(bytes("tides-3.1.json"))
                .post("/api/v1/apis/" + api.id() + "/openapi").then().statusCode(403);
        api.provider().as().get("/api/v1/apis/" + api.id() + "/endpoints").then().statusCode(200)
                .body("operation_id", equalTo(List.of("listPets", "createPets", "showPetById")));
    }

    @Test
    void listings_show_and_search_the_endpoints_and_usage_names_calls_by_their_template()
            throws InterruptedException {
        PublishedApi api = Gateway.publish(Api.register("provider"), upstream.baseUrl() + "/echo",
                Map.of("name", "Pets " + Api.uniqueName("x")));
        api.provider().as().contentType("application/yaml").body(bytes("petstore-3.0.yaml"))
                .post("/api/v1/apis/" + api.id() + "/openapi").then().statusCode(200);
        String category = "pets-" + Api.uniqueName("c").toLowerCase().replace('_', '-');
        api.provider().as().body(Map.of("api_id", api.id(), "category", category))
                .post("/api/v1/marketplace/publish").then().statusCode(201)
                .body("endpoints.path", equalTo(List.of("/pets", "/pets", "/pets/{petId}")));
        given().queryParam("q", "specific").queryParam("category", category).get("/api/v1/marketplace/listings")
                .then().statusCode(200).body("items.api_id", equalTo(List.of(api.id())));

        Caller caller = Gateway.subscribe(api, api.defaultPlanId());
        caller.call().get("/gw/" + api.slug() + "/pets/42").then().statusCode(200);
        caller.call().get("/gw/" + api.slug() + "/pets/rex").then().statusCode(200);
        caller.call().get("/gw/" + api.slug() + "/pets").then().statusCode(200);
        caller.call().get("/gw/" + api.slug() + "/owners/7").then().statusCode(200);

        Map<String, Integer> calls = Map.of();
        for (int i = 0; i < 50 && calls.values().stream().mapToInt(Integer::intValue).sum() < 4; i++) {
            Thread.sleep(100);
            JsonPath performance = api.provider().as().queryParam("api_id", api.id())
                    .get("/api/v1/analytics/performance").then().statusCode(200).extract().jsonPath();
            calls = new java.util.HashMap<>();
            List<String> names = performance.getList("endpoint");
            List<Integer> counts = performance.getList("calls");
            for (int j = 0; j < names.size(); j++) {
                calls.put(names.get(j), counts.get(j));
            }
        }
        assertThat(calls).containsEntry("GET /pets/{petId}", 2).containsEntry("GET /pets", 1)
                .containsEntry("GET /owners/{id}", 1);
    }

    private static byte[] bytes(String name) {
        return resource(name).getBytes(StandardCharsets.UTF_8);
    }

    private static String resource(String name) {
        try (InputStream in = OpenApiImportScenarios.class.getResourceAsStream("/openapi/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
