package dev.tollgate.admin;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every admin operation the served OpenAPI document lists refuses everyone else: 403 for a consumer's token, 401
 * without one. Admin operations are found anew on each run — those under {@code /api/v1/admin/} and
 * {@code /api/v1/system/} (but the public {@code /system/health}), and any other whose resource method or class is
 * {@code @RolesAllowed("admin")} — so an operation added later is covered without touching this test, and one that
 * forgot its role check fails it.
 */
@QuarkusTest
class AdminOperationsNeedTheAdminRoleTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Set<String> PUBLIC = Set.of("/api/v1/system/health");

    record Op(String method, String path, String operationId, boolean hasBody) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path + " (" + operationId + ")";
        }
    }

    @Test
    void non_admins_get_403_on_every_admin_operation_and_anonymous_callers_401() throws Exception {
        List<Op> admin = adminOperations();
        assertThat(admin).extracting(Op::operationId).contains("getSystemStats", "getSystemConfig",
                "getSystemLogs", "restartServices", "reloadSnapshots", "grantCredits");
        Api.User consumer = Api.registerConsumer();
        List<String> open = new ArrayList<>();
        for (Op op : admin) {
            Response asConsumer = call(consumer.as(), op);
            if (asConsumer.statusCode() != 403) {
                open.add(op + " answered a consumer " + asConsumer.statusCode());
            } else {
                assertThat(asConsumer.contentType()).as("%s", op).startsWith("application/problem+json");
            }
            Response anonymous = call(given().contentType("application/json")
                    .header("X-Forwarded-For", Api.randomClientAddress()), op);
            if (anonymous.statusCode() != 401) {
                open.add(op + " answered an anonymous caller " + anonymous.statusCode());
            }
        }
        assertThat(open).as("admin operations that do not refuse non-admins").isEmpty();
    }

    private static Response call(RequestSpecification request, Op op) {
        String path = op.path().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        if (op.hasBody()) {
            request = request.body("{}");
        }
        return request.request(op.method(), path);
    }

    /** The document's admin operations: by path, and by the {@code @RolesAllowed} of the method that serves them. */
    static List<Op> adminOperations() throws Exception {
        Set<String> byRole = operationIdsNeedingTheAdminRole();
        String body = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        JsonNode paths = new ObjectMapper().readTree(body).path("paths");
        List<Op> admin = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String id = op.getValue().path("operationId").asText("");
                listed.add(id);
                boolean byPath = (path.getKey().startsWith("/api/v1/admin/") || path.getKey().startsWith(
                        "/api/v1/system/") || path.getKey().equals("/api/v1/admin"))
                        && !PUBLIC.contains(path.getKey());
                if (byPath || byRole.contains(id)) {
                    admin.add(new Op(op.getKey(), path.getKey(), id, op.getValue().has("requestBody")));
                }
            }
        }
        assertThat(listed).as("operations declared @RolesAllowed(\"admin\") that the document lists")
                .containsAll(byRole);
        return admin;
    }

    /**
     * The operation ids of resource methods that need the admin role: {@code @RolesAllowed} containing "admin" on the
     * method, or on its class when the method declares no security annotation of its own. Found by reflection over
     * the compiled application classes.
     */
    static Set<String> operationIdsNeedingTheAdminRole() throws IOException, ClassNotFoundException {
        Path root = Path.of("target/classes");
        List<String> names;
        try (Stream<Path> files = Files.walk(root.resolve("dev/tollgate"))) {
            names = files.map(f -> root.relativize(f).toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.')).toList();
        }
        Set<String> ids = new TreeSet<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, loader);
            for (Method method : type.getDeclaredMethods()) {
                Operation operation = method.getAnnotation(Operation.class);
                if (operation == null) {
                    continue;
                }
                boolean own = method.isAnnotationPresent(RolesAllowed.class)
                        || method.isAnnotationPresent(PermitAll.class) || method.isAnnotationPresent(DenyAll.class);
                RolesAllowed roles = own
                        ? method.getAnnotation(RolesAllowed.class)
                        : type.getAnnotation(RolesAllowed.class);
                if (roles != null && List.of(roles.value()).contains("admin")) {
                    ids.add(operation.operationId());
                }
            }
        }
        assertThat(ids).as("@RolesAllowed(\"admin\") operations found").contains("grantCredits");
        return ids;
    }

}
