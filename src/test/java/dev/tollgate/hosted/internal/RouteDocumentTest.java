package dev.tollgate.hosted.internal;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAPI document made from route keys: paths, parameters, operations, and that a parser accepts it. */
class RouteDocumentTest {

    @Test
    void routes_become_paths_with_parameters_and_operations() {
        ObjectNode document = RouteDocument.of("Cat facts", "Facts about cats", "1.2.0", List.of("GET /facts",
                "GET /facts/{id}", "POST /facts", "ANY /echo/{rest}", "PUT /echo/{rest}", "* /"));
        assertThat(document.get("openapi").asText()).isEqualTo("3.0.3");
        assertThat(document.get("info").toString()).isEqualTo("{\"title\":\"Cat facts\",\"version\":\"1.2.0\","
                + "\"description\":\"Facts about cats\"}");
        JsonNode paths = document.get("paths");
        assertThat(paths.fieldNames()).toIterable().containsExactly("/facts", "/facts/{id}", "/echo/{rest}", "/");
        assertThat(paths.get("/facts").fieldNames()).toIterable().containsExactly("get", "post");
        JsonNode byId = paths.get("/facts/{id}").get("get");
        assertThat(byId.get("operationId").asText()).isEqualTo("getFactsById");
        assertThat(byId.get("parameters").toString()).isEqualTo("[{\"name\":\"id\",\"in\":\"path\",\"required\":true,"
                + "\"schema\":{\"type\":\"string\"}}]");
        assertThat(byId.get("responses").fieldNames()).toIterable().containsExactly("200", "default");
        assertThat(byId.at("/responses/200/content/application~1json").isObject()).isTrue();
        assertThat(paths.get("/facts").get("post").has("requestBody")).isTrue();
        assertThat(paths.get("/echo/{rest}").fieldNames()).toIterable().containsExactly("get", "post", "put",
                "patch", "delete");
        assertThat(paths.get("/").get("delete").get("operationId").asText()).isEqualTo("deleteRoot");

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.toString());
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/facts", "/facts/{id}");
    }

    @Test
    void operation_ids_are_unique_and_bad_routes_are_refused() {
        ObjectNode document = RouteDocument.of("x", null, "1", List.of("GET /a-b", "GET /a_b"));
        assertThat(document.at("/paths/~1a-b/get/operationId").asText()).isEqualTo("getAB");
        assertThat(document.at("/paths/~1a_b/get/operationId").asText()).isEqualTo("getAB2");
        assertThat(document.get("info").has("description")).isFalse();
        assertThatThrownBy(() -> RouteDocument.of("x", null, "1", List.of("GET nothing")))
                .isInstanceOf(Sandbox.Failure.class).hasMessageContaining("METHOD /path");
    }
}
