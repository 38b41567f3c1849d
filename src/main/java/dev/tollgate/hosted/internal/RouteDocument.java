package dev.tollgate.hosted.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OpenAPI 3.0.3 document for a hosted API made from its route keys alone: each route's path with its {@code {name}}
 * segments as required string path parameters, each method an operation with an operationId, a JSON 200 answer and
 * a generic JSON error; {@code ANY} routes expand to get, post, put, patch and delete. The code's answers are not
 * known in advance, so the schemas are open objects; a provider can replace the document with a richer one.
 */
public final class RouteDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ANY = List.of("get", "post", "put", "patch", "delete");

    private RouteDocument() {
    }

    /** The document; {@link Sandbox.Failure} {@code invalid} when a route key is not {@code "METHOD /path"}. */
    public static ObjectNode of(String title, String description, String version, List<String> routes) {
        ObjectNode document = JSON.createObjectNode().put("openapi", "3.0.3");
        ObjectNode info = document.putObject("info").put("title", title).put("version", version);
        if (description != null && !description.isBlank()) {
            info.put("description", description);
        }
        ObjectNode paths = document.putObject("paths");
        List<String> operationIds = new ArrayList<>();
        for (String key : routes) {
            RouteTable.Route route = RouteTable.parse(key);
            String path = "/" + String.join("/", route.segments());
            ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
            List<String> methods = route.anyMethod()
                    ? ANY
                    : List.of(route.method().toLowerCase(Locale.ROOT));
            for (String method : methods) {
                if (item.has(method)) {
                    continue; // an exact route for this method was listed too; it wins, as in RouteTable
                }
                item.set(method, operation(route, method, path, operationIds));
            }
        }
        ObjectNode schemas = document.putObject("components").putObject("schemas");
        ObjectNode error = schemas.putObject("Error").put("type", "object");
        error.putObject("properties").putObject("error").put("type", "string");
        return document;
    }

    private static ObjectNode operation(RouteTable.Route route, String method, String path, List<String> taken) {
        ObjectNode operation = JSON.createObjectNode();
        operation.put("operationId", operationId(method, route, taken));
        operation.put("summary", method.toUpperCase(Locale.ROOT) + " " + path);
        var parameters = JSON.createArrayNode();
        for (int i = 0; i < route.segments().size(); i++) {
            String name = route.parameter(i);
            if (name != null) {
                ObjectNode parameter = parameters.addObject().put("name", name).put("in", "path").put("required",
                        true);
                parameter.putObject("schema").put("type", "string");
            }
        }
        if (!parameters.isEmpty()) {
            operation.set("parameters", parameters);
        }
        if (List.of("post", "put", "patch").contains(method)) {
            ObjectNode body = operation.putObject("requestBody").put("required", false);
            body.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        }
        ObjectNode responses = operation.putObject("responses");
        ObjectNode ok = responses.putObject("200").put("description", "The handler's answer");
        ok.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        ObjectNode failed = responses.putObject("default").put("description", "An error");
        failed.putObject("content").putObject("application/json").putObject("schema").put("$ref",
                "#/components/schemas/Error");
        return operation;
    }

    /** e.g. {@code getFactsById} for {@code GET /facts/{id}}; unique within the document. */
    private static String operationId(String method, RouteTable.Route route, List<String> taken) {
        StringBuilder id = new StringBuilder(method);
        for (int i = 0; i < route.segments().size(); i++) {
            String name = route.parameter(i);
            String word = name == null ? route.segments().get(i) : "By " + name;
            for (String part : word.split("[^A-Za-z0-9]+")) {
                if (!part.isEmpty()) {
                    id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
            }
        }
        if (route.segments().isEmpty()) {
            id.append("Root");
        }
        String unique = id.toString();
        for (int n = 2; taken.contains(unique); n++) {
            unique = id + "" + n;
        }
        taken.add(unique);
        return unique;
    }
}
