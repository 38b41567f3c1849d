package dev.tollgate.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.tollgate.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document served at {@code /q/openapi} is one clients can use: every operation is named, says which
 * client errors it answers with (as problem+json) and whether it needs a bearer token; and what it says about
 * tokens is what the server enforces. Redocly's lint ({@code .ci/run}) checks more of the same; this keeps the
 * essentials from regressing without it.
 */
@QuarkusTest
class OpenApiDocumentTest {

    /** The committed copy the test client is generated from (see the pom's openapi-generator execution). */
    static final Path COMMITTED_COPY = Path.of("src/test/openapi/tollgate.json");

    /** Operations anyone may call: they must say {@code security: []}. */
    static final Set<String> PUBLIC = Set.of("register", "login", "refreshTokens", "getJwks", "getHealth",
            "getSystemHealth", "listTiers", "receiveStripeWebhook", "browseListings", "getListing", "listCategories",
            "listReviews",
            "search", "recommendations");

    /**
     * Operations that answer no 4xx of their own: GETs without parameters, body or token (the verifying keys, health,
     * the tier price list, the marketplace's categories).
     */
    static final Set<String> NO_CLIENT_ERRORS = Set.of("getJwks", "getHealth", "getSystemHealth", "listTiers",
            "listCategories");

    static final ObjectMapper JSON = new ObjectMapper();

    record Op(String method, String path, JsonNode node) {
        String id() {
            return node.path("operationId").asText("");
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    static JsonNode document;
    static List<Op> operations;

    @BeforeEach
    void fetch() throws IOException {
        if (document != null) {
            return;
        }
        String body = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        document = JSON.readTree(body);
        operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(op.getKey())) {
                    operations.add(new Op(op.getKey(), path.getKey(), op.getValue()));
                }
            }
        }
        assertThat(operations).hasSizeGreaterThan(50);
    }

    @Test
    void every_operation_has_a_unique_camel_case_operation_id() {
        Set<String> seen = new HashSet<>();
        for (Op op : operations) {
            assertThat(op.id()).as("operationId of %s", op).matches("[a-z][a-zA-Z0-9]+");
            assertThat(seen.add(op.id())).as("operationId %s is used twice", op.id()).isTrue();
        }
        assertThat(seen).containsAll(PUBLIC).containsAll(NO_CLIENT_ERRORS)
                .contains("createApiKey", "createApi", "listApiKeys");
    }

    @Test
    void every_operation_declares_its_client_errors_as_problem_json() {
        for (Op op : operations) {
            List<String> clientErrors = new ArrayList<>();
            op.node().path("responses").fieldNames().forEachRemaining(status -> {
                if (status.startsWith("4")) {
                    clientErrors.add(status);
                }
            });
            if (NO_CLIENT_ERRORS.contains(op.id())) {
                continue;
            }
            assertThat(clientErrors).as("4xx responses of %s", op).isNotEmpty();
            for (String status : clientErrors) {
                JsonNode response = resolve(op.node().path("responses").path(status));
                assertThat(response.path("content").path("application/problem+json").path("schema").path("$ref")
                        .asText()).as("%s response of %s", status, op).isEqualTo("#/components/schemas/Problem");
            }
        }
        JsonNode problem = document.path("components").path("schemas").path("Problem").path("properties");
        assertThat(iterable(problem.fieldNames())).contains("type", "title", "status", "detail", "instance",
                "request_id", "errors");
    }

    @Test
    void secured_operations_require_the_bearer_scheme_and_public_ones_say_so() {
        JsonNode scheme = document.path("components").path("securitySchemes").path("jwt");
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        assertThat(document.path("security").isMissingNode()).as("no document-wide requirement").isTrue();
        for (Op op : operations) {
            JsonNode security = op.node().path("security");
            if (PUBLIC.contains(op.id())) {
                assertThat(security.isArray() && security.isEmpty()).as("%s declares security: []", op).isTrue();
            } else {
                assertThat(security.toString()).as("security of %s", op).isEqualTo("[{\"jwt\":[]}]");
                assertThat(op.node().path("responses").has("401")).as("401 of %s", op).isTrue();
            }
        }
    }

    @Test
    void what_the_document_says_about_tokens_is_what_the_server_enforces() {
        for (Op op : operations) {
            String path = op.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            // JSON content type on every call: resources match it before they check tokens (415 otherwise)
            var request = given().header("X-Forwarded-For", Api.randomClientAddress()).contentType("application/json");
            if (op.node().has("requestBody")) {
                request = request.body("{}");
            }
            Response response = request.request(op.method(), path);
            if (!requiresToken(op)) {
                assertThat(response.statusCode()).as("%s without a token", op).isNotEqualTo(401);
            } else {
                assertThat(response.statusCode()).as("%s without a token", op).isEqualTo(401);
                assertThat(response.contentType()).as("%s without a token", op).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void names_the_default_local_server() {
        assertThat(document.path("servers").path(0).path("url").asText()).isEqualTo("http://localhost:8080");
    }

    @Test
    void the_committed_copy_the_test_client_is_generated_from_is_current() throws IOException {
        Path served = Path.of("target/openapi-served/tollgate.json");
        Files.createDirectories(served.getParent());
        JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(served.toFile(), document);
        assertThat(JSON.readTree(COMMITTED_COPY.toFile()).equals(document))
                .as("%s differs from /q/openapi: review the change, then cp %s %s", COMMITTED_COPY, served,
                        COMMITTED_COPY)
                .isTrue();
    }

    /** What the document says: a requirement naming a scheme means a token is needed; {@code []} means none. */
    private static boolean requiresToken(Op op) {
        for (JsonNode requirement : op.node().path("security")) {
            if (!requirement.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText(null);
        if (ref == null) {
            return node;
        }
        JsonNode target = document;
        for (String part : ref.substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }
}
