package dev.tollgate.hosted;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Gateway.PublishedApi;
import io.restassured.path.json.JsonPath;

/** Test helpers for hosted APIs: a module from route lines, deploys, and waiting for a version to be served. */
final class Hosted {

    private Hosted() {
    }

    /** {@code export default { routes: { … } }} around the given {@code "METHOD /path": handler} entries. */
    static String module(String... routes) {
        return "export default { routes: {\n  " + String.join(",\n  ", routes) + "\n} };\n";
    }

    /** Deploys new code as a new public API of {@code provider}; the API as published for gateway helpers. */
    static PublishedApi deployNew(Api.User provider, String code, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", Api.uniqueName("Hosted"), "description",
                "A hosted API for tests", "visibility", "public", "code", code));
        body.putAll(extra);
        JsonPath deployed = provider.as().body(body).post("/api/v1/deploy").then().statusCode(200).extract()
                .jsonPath();
        String id = deployed.getString("api.id");
        String plan = provider.as().get("/api/v1/apis/" + id + "/plans").then().statusCode(200).extract().jsonPath()
                .getString("[0].id");
        return new PublishedApi(provider, id, deployed.getString("api.slug"), plan);
    }

    static JsonPath deploy(Api.User provider, Map<String, Object> body) {
        return provider.as().body(body).post("/api/v1/deploy").then().statusCode(200).extract().jsonPath();
    }

    /** A test case in the deploy body's shape. */
    static Map<String, Object> test(String name, String method, String path, int status, Object json) {
        Map<String, Object> expected = new HashMap<>(Map.of("status", status));
        if (json != null) {
            expected.put("json", json);
        }
        return Map.of("name", name, "request", Map.of("method", method, "path", path), "expected", expected);
    }

    static List<Map<String, Object>> tests(Map<String, Object>... cases) {
        return List.of(cases);
    }
}
