package dev.tollgate.catalog;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.catalog.store.ApiEntity;
import dev.tollgate.catalog.store.CatalogStore;
import dev.tollgate.catalog.store.EndpointEntity;
import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.PublicHttp;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.http.HttpMethod;

/**
 * Imports an API's endpoints from its OpenAPI 3.0 or 3.1 document (JSON or YAML, sent or fetched from a URL), parsed
 * with swagger-parser. An import replaces the API's endpoints; the gateway's usage rollups then name each call by its
 * operation's path template, and the marketplace shows and searches them. Only local {@code $ref}s are followed: a
 * document that refers to another file or URL is refused, so an import never makes the server fetch anything but the
 * one URL it was given, which follows the upstreams' rules (public addresses only unless private upstreams are
 * allowed).
 */
@ApplicationScoped
public class OpenApiImport {

    private static final Logger LOG = Logger.getLogger(OpenApiImport.class);

    /**
     * The largest document fetched from a URL (one sent in the body is bounded by the request size limit); the YAML
     * parser (which reads JSON too) refuses documents of more than 3 Mi characters anyway.
     */
    static final int MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;
    /** The most JSON all of an import's endpoints may take, once references are resolved. */
    static final int MAX_TOTAL_JSON = 5_000_000;
    static final int MAX_ENDPOINTS = 1000;
    /** The largest JSON of one endpoint's parameters, request body or responses, after resolving references. */
    static final int MAX_JSON = 1_000_000;

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_MESSAGES = 20;

    /** What an import did: the document's title, version and OpenAPI version, and the endpoints it now has. */
    public record Imported(UUID apiId, String title, String version, String openapi, int endpointCount,
            List<EndpointView> endpoints) {
    }

    private final CatalogStore store;
    private final ApiAccess access;
    private final ChangeFeed changes;
    private final boolean allowPrivate;
    private final PublicHttp http;
    private final ObjectMapper json = new ObjectMapper();

    OpenApiImport(CatalogStore store, ApiAccess access, ChangeFeed changes, GatewayConfig gateway, PublicHttp http) {
        this.http = http;
        this.store = store;
        this.access = access;
        this.changes = changes;
        this.allowPrivate = gateway.allowPrivateUpstreams();
    }

    /** Imports {@code body}: an OpenAPI document, or {@code {"url": "…"}} naming one to fetch. */
    public Imported importDocument(UUID apiId, Actor actor, String body) {
        QuarkusTransaction.requiringNew().run(() -> access.managed(apiId, actor, "import its OpenAPI document"));
        if (body == null || body.isBlank()) {
            throw ProblemException.invalid("document", "is required: an OpenAPI document, or {\"url\": \"…\"}");
        }
        String document = body;
        JsonNode tree = tree(body);
        if (tree.isObject() && tree.size() == 1 && tree.has("url")) {
            document = fetch(tree.path("url").asText(""));
            tree = tree(document);
        }
        if (tree.has("swagger")) {
            throw ProblemException.invalid("document", "is a Swagger " + tree.path("swagger").asText()
                    + " document; only OpenAPI 3.0 or 3.1 documents are imported (convert it first, e.g. with "
                    + "converter.swagger.io)");
        }
        List<FieldError> problems = new ArrayList<>();
        remoteReferences(tree, "", problems);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        OpenAPI openApi = parse(document);
        List<EndpointEntity> endpoints = endpoints(apiId, openApi);
        List<EndpointView> views = QuarkusTransaction.requiringNew().call(() -> {
            store.lockApi(apiId); // two imports at once: the second waits, then replaces the first's endpoints
            ApiEntity api = access.managed(apiId, actor, "import its OpenAPI document");
            store.deleteEndpointsOf(api.id);
            endpoints.forEach(store::persist);
            api.updatedAt = Instant.now();
            changes.changed(ApiCatalog.TOPIC);
            return endpoints.stream().map(this::view).toList();
        });
        LOG.infof("API %s: %d endpoints imported from its OpenAPI %s document by %s", apiId, views.size(),
                openApi.getOpenapi(), actor.userId());
        return new Imported(apiId, openApi.getInfo() == null ? null : openApi.getInfo().getTitle(),
                openApi.getInfo() == null ? null : openApi.getInfo().getVersion(), openApi.getOpenapi(), views.size(),
                views);
    }

    /** The imported endpoints of an API the actor may see (404 otherwise). */
    public List<EndpointView> endpoints(UUID apiId, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            access.visible(apiId, actor);
            return store.endpointsOf(apiId).stream().map(this::view).toList();
        });
    }

    /** The imported endpoints of an API, for a page that shows a listed (public) API. */
    public List<EndpointView> publicEndpoints(UUID apiId) {
        return QuarkusTransaction.requiringNew().call(() -> store.api(apiId)
                .filter(api -> "public".equals(api.visibility) && "active".equals(api.status))
                .map(api -> store.endpointsOf(apiId).stream().map(this::view).toList()).orElse(List.of()));
    }

    /** Every API's endpoints as "METHOD /path/{template}", in import order. */
    public Map<UUID, List<String>> templates() {
        Map<UUID, List<String>> templates = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> store.endpointLines(null).forEach(row -> templates
                .computeIfAbsent((UUID) row[0], k -> new ArrayList<>()).add(row[1] + " " + row[2])));
        return templates;
    }

    // --- reading the document ---------------------------------------------------------------------------------------

    private static JsonNode tree(String text) {
        try {
            JsonNode tree = Yaml.mapper().readTree(text); // YAML, and JSON as the YAML it also is
            if (tree == null || !tree.isObject()) {
                throw ProblemException.invalid("document", "must be a JSON or YAML object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("document", "is not JSON or YAML: " + e.getOriginalMessage());
        }
    }

    /** Every {@code $ref} that leaves the document. */
    private static void remoteReferences(JsonNode node, String at, List<FieldError> problems) {
        if (problems.size() >= MAX_MESSAGES) {
            return;
        }
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) {
                problems.add(new FieldError("document", at + "/$ref: refers outside the document (" + ref.asText()
                        + "); only local references (#/…) are followed"));
            }
            node.fields().forEachRemaining(f -> remoteReferences(f.getValue(), at + "/" + f.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                remoteReferences(node.get(i), at + "/" + i, problems);
            }
        }
    }

    private static OpenAPI parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        OpenAPI openApi = result.getOpenAPI();
        List<FieldError> problems = new ArrayList<>();
        boolean v31 = openApi != null && openApi.getOpenapi() != null && openApi.getOpenapi().startsWith("3.1");
        if (result.getMessages() != null) {
            // 3.1 made an operation's responses optional; the parser still reports them missing
            result.getMessages().stream().filter(m -> !(v31 && m.endsWith(".responses is missing"))).limit(MAX_MESSAGES)
                    .forEach(m -> problems.add(new FieldError("document", m)));
        }
        if (openApi == null || openApi.getOpenapi() == null) {
            if (problems.isEmpty()) {
                problems.add(new FieldError("document", "is not an OpenAPI 3.0 or 3.1 document"));
            }
        } else if (!openApi.getOpenapi().startsWith("3.0") && !openApi.getOpenapi().startsWith("3.1")) {
            problems.add(new FieldError("openapi", "must be 3.0.x or 3.1.x, not " + openApi.getOpenapi()));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        return openApi;
    }

    private List<EndpointEntity> endpoints(UUID apiId, OpenAPI openApi) {
        List<EndpointEntity> endpoints = new ArrayList<>();
        List<FieldError> problems = new ArrayList<>();
        // 3.1 schemas keep their JSON Schema keywords (type lists, …) only through the 3.1 writer
        ObjectMapper writer = openApi.getOpenapi().startsWith("3.1") ? Json31.mapper() : Json.mapper();
        Map<String, PathItem> paths = openApi.getPaths() == null ? Map.of() : openApi.getPaths();
        int operations = paths.values().stream().mapToInt(item -> item.readOperationsMap().size()).sum();
        if (operations > MAX_ENDPOINTS) {
            throw ProblemException.invalid("paths", "has " + operations + " operations; at most " + MAX_ENDPOINTS
                    + " are imported");
        }
        int[] budget = {MAX_TOTAL_JSON};
        for (Map.Entry<String, PathItem> path : paths.entrySet()) {
            PathItem item = path.getValue();
            if (!path.getKey().startsWith("/") || path.getKey().length() > 1000) {
                problems.add(new FieldError("paths", path.getKey() + ": must start with '/' and be at most 1000 "
                        + "characters"));
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                Map<String, Parameter> parameters = new LinkedHashMap<>();
                for (List<Parameter> list : java.util.Arrays.asList(item.getParameters(), operation.getParameters())) {
                    if (list != null) {
                        list.forEach(p -> parameters.put(p.getIn() + ":" + p.getName(), p));
                    }
                }
                EndpointEntity endpoint = new EndpointEntity();
                endpoint.id = UUID.randomUUID();
                endpoint.apiId = apiId;
                endpoint.position = endpoints.size();
                endpoint.method = entry.getKey().name().toUpperCase(Locale.ROOT);
                endpoint.path = path.getKey();
                endpoint.operationId = cut(operation.getOperationId(), 200);
                endpoint.summary = cut(operation.getSummary() != null ? operation.getSummary() : item.getSummary(),
                        1000);
                endpoint.description = cut(operation.getDescription() != null
                        ? operation.getDescription()
                        : item.getDescription(), 10_000);
                endpoint.deprecated = Boolean.TRUE.equals(operation.getDeprecated());
                String at = endpoint.method + " " + endpoint.path;
                endpoint.parameters = parameters.isEmpty()
                        ? null
                        : json(writer, new ArrayList<>(parameters.values()), at, problems, budget);
                endpoint.requestBody = operation.getRequestBody() == null
                        ? null
                        : json(writer, operation.getRequestBody(), at, problems, budget);
                endpoint.responses = operation.getResponses() == null
                        ? null
                        : json(writer, operation.getResponses(), at, problems, budget);
                endpoints.add(endpoint);
            }
        }
        if (endpoints.isEmpty() && problems.isEmpty()) {
            problems.add(new FieldError("paths", "the document has no operations"));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems.stream().limit(MAX_MESSAGES).toList());
        }
        return endpoints;
    }

    /**
     * The object as JSON, or null with a problem added: written into a bounded buffer, so that a document whose
     * resolved references multiply (each level referring twice to the next) stops at the limit instead of filling the
     * memory; every endpoint's JSON together stays within {@value #MAX_TOTAL_JSON} characters ({@code budget}).
     */
    private static String json(ObjectMapper writer, Object openApiObject, String at, List<FieldError> problems,
            int[] budget) {
        BoundedWriter out = new BoundedWriter(Math.min(MAX_JSON, budget[0]));
        try {
            writer.writeValue(out, openApiObject);
        } catch (IOException e) {
            problems.add(new FieldError("paths", out.exceeded
                    ? at + ": its schemas take more than " + out.limit + " characters once references are resolved"
                            + (out.limit < MAX_JSON
                                    ? " (the document's endpoints together may take "
                                            + MAX_TOTAL_JSON + ")"
                                    : "")
                    : at + ": cannot be written as JSON (" + e.getMessage() + ")"));
            return null;
        }
        budget[0] -= out.text.length();
        return out.text.toString();
    }

    /** A writer into memory that fails once more than {@code limit} characters are written. */
    private static final class BoundedWriter extends Writer {

        private final StringBuilder text = new StringBuilder();
        private final int limit;
        private boolean exceeded;

        BoundedWriter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            if (text.length() + length > limit) {
                exceeded = true;
                throw new IOException("more than " + limit + " characters");
            }
            text.append(chars, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    EndpointView view(EndpointEntity e) {
        return new EndpointView(e.method, e.path, e.operationId, e.summary, e.description, e.deprecated,
                read(e.parameters, PARAMETERS), read(e.requestBody, OBJECT), read(e.responses, OBJECT));
    }

    private static final TypeReference<List<Map<String, Object>>> PARAMETERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return text == null ? null : json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored endpoint JSON does not parse", e);
        }
    }

    // --- fetching ---------------------------------------------------------------------------------------------------

    /**
     * The document at the URL: fetched under the rules of upstreams ({@link PublicHttp}: http(s), a public address
     * unless private upstreams are allowed, no redirects), one 10 s deadline, at most {@value #MAX_DOCUMENT_BYTES}
     * bytes.
     */
    private String fetch(String url) {
        PublicHttp.Answer answer;
        try {
            answer = http.send(new PublicHttp.Request(HttpMethod.GET, url,
                    Map.of("Accept", "application/json, application/yaml, text/yaml, */*"), null, FETCH_TIMEOUT,
                    MAX_DOCUMENT_BYTES, false), allowPrivate).get();
        } catch (PublicHttp.Refused e) {
            throw ProblemException.invalid("url", e.getMessage()
                    + (e.getMessage().startsWith("points at")
                            ? "; documents are fetched from public addresses only"
                            : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.invalid("url", "could not be fetched: interrupted");
        } catch (ExecutionException e) {
            throw ProblemException.invalid("url", e.getCause().getMessage());
        }
        if (answer.status() != 200) {
            throw ProblemException.invalid("url", "answered HTTP " + answer.status()
                    + (answer.status() / 100 == 3 ? " (a redirect: give the URL it points to)" : ""));
        }
        return answer.body().toString(StandardCharsets.UTF_8);
    }
}
