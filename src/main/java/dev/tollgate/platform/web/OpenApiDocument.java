package dev.tollgate.platform.web;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.servers.Server;

/**
 * Completes the OpenAPI document (registered with {@code mp.openapi.filter}, applied when the application is built)
 * with the error responses that follow from an operation's shape rather than from what it does:
 * <ul>
 * <li>an operation that requires a bearer token answers {@code 401} without a valid one (the requirement itself is
 * declared on the resource, next to {@code @Authenticated}/{@code @RolesAllowed});</li>
 * <li>an operation that takes a body answers {@code 400} when it is not JSON of the expected shape.</li>
 * </ul>
 * Both are problem+json ({@code Problem} and the named responses come from {@code META-INF/openapi.yaml}). Errors
 * that depend on what an operation does (403, 404, 409, 422, 429) are declared on the operation.
 */
public class OpenApiDocument implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getServers() != null) {
            for (Server server : openApi.getServers()) {
                if (server.getDescription() == null) {
                    server.setDescription("The default local address (./tollgate); point clients at your own "
                            + "deployment's address instead");
                }
            }
        }
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openApi.getPaths().getPathItems().values()) {
            Map<PathItem.HttpMethod, Operation> operations = path.getOperations();
            if (operations == null) {
                continue;
            }
            for (Operation operation : operations.values()) {
                APIResponses responses = operation.getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    operation.setResponses(responses);
                }
                if (operation.getRequestBody() != null) {
                    addIfAbsent(responses, "400", "BadRequest");
                }
                if (requiresToken(operation.getSecurity())) {
                    addIfAbsent(responses, "401", "Unauthorized");
                }
            }
        }
    }

    /** {@code security: []} (public) or no requirement at all: no token needed. */
    static boolean requiresToken(List<SecurityRequirement> security) {
        return security != null && security.stream().anyMatch(r -> r.getSchemes() != null && !r.getSchemes().isEmpty());
    }

    private static void addIfAbsent(APIResponses responses, String status, String name) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(name));
        }
    }
}
