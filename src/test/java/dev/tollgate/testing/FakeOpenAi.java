package dev.tollgate.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * A local server speaking OpenAI's REST protocol for the parts the AI proxy uses, with the shapes of the official
 * {@code openai-java} SDK's models (proven by {@code FakeOpenAiTest}, which parses everything through that SDK):
 * <ul>
 * <li>{@code POST /v1/chat/completions}: a {@code chat.completion}, or with {@code stream: true} SSE
 * {@code data: {chat.completion.chunk}} lines (role first, then content pieces, then tool-call argument fragments, then
 * a chunk with {@code finish_reason}), a last chunk with empty {@code choices} and the usage when
 * {@code stream_options.include_usage} is true (every other chunk then carries {@code "usage": null}), then
 * {@code data: [DONE]};</li>
 * <li>{@code POST /v1/embeddings}: deterministic vectors ({@link #embedding(String, int)}), as floats or as base64
 * little-endian float32 ({@code encoding_format}, which the SDK sets to base64 by default);</li>
 * <li>{@code GET /v1/models}: the configured models;</li>
 * <li>{@code POST /v1/fine_tuning/jobs} (needs a known {@code model} and a {@code training_file}) and
 * {@code GET /v1/fine_tuning/jobs/{id}}: {@code fine_tuning.job} objects whose status moves on by one step each
 * time the job is read, {@code validating_files → running → succeeded}, with {@code fine_tuned_model} set at the
 * end; a training file whose id starts with {@code file-invalid} ends {@code failed} with an {@code error} instead.
 * An unknown job id is a 404.</li>
 * </ul>
 * Requests need {@code Authorization: Bearer <key>} with the key given at construction (else 401
 * {@code invalid_api_key}) and a known model (else 404 {@code model_not_found}); errors have OpenAI's shape
 * {@code {"error":{"message","type","param","code"}}}. What the model answers is scripted with
 * {@link FakeLlmServer.Reply}.
 */
public final class FakeOpenAi extends FakeLlmServer {

    private static final String FINGERPRINT = "fp_fake0001";
    private static final AtomicLong IDS = new AtomicLong();

    private final String apiKey;
    private final Set<String> models;
    private final Map<String, ObjectNode> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> suffixes = new ConcurrentHashMap<>();

    /** Accepts {@code apiKey} and the models gpt-4o-mini, gpt-4o and text-embedding-3-small. */
    public FakeOpenAi(String apiKey) throws IOException {
        this(apiKey, "gpt-4o-mini", "gpt-4o", "text-embedding-3-small");
    }

    public FakeOpenAi(String apiKey, String... models) throws IOException {
        this.apiKey = apiKey;
        this.models = new LinkedHashSet<>(List.of(models));
    }

    /** The SDK's {@code baseUrl}: {@code http://127.0.0.1:port/v1}. */
    /**
     * A fake vendor of {@code gpt-4o-mini} that an admin has made Tollgate's model {@code name}, priced 3 micros per
     * input token and 15 per output token (for features that call models in-process).
     */
    public static FakeOpenAi servingModel(String name) throws IOException {
        FakeOpenAi vendor = new FakeOpenAi("sk-fake-vendor", "gpt-4o-mini");
        Map<String, Object> channel = new java.util.HashMap<>(Map.of("provider", "openai", "base_url",
                vendor.v1Url(), "api_key", "sk-fake-vendor", "upstream_model", "gpt-4o-mini", "priority", 0));
        Api.admin().as().body(Map.of("name", name, "pricing", Map.of("input_per_million", 3, "output_per_million",
                15), "channels", List.of(channel))).post("/api/v1/admin/models").then().statusCode(201);
        return vendor;
    }

    public String v1Url() {
        return baseUrl() + "/v1";
    }

    @Override
    protected void handle(HttpExchange exchange, Received request) throws IOException {
        exchange.getResponseHeaders().set("x-request-id", "req_" + UUID.randomUUID().toString().replace("-", ""));
        String route = request.method() + " " + request.path();
        switch (route) {
            case "POST /v1/chat/completions" -> {
                if (authorized(exchange, request) && valid(exchange, request, "messages")) {
                    chat(exchange, request);
                }
            }
            case "POST /v1/embeddings" -> {
                if (authorized(exchange, request) && valid(exchange, request, "input")) {
                    embeddings(exchange, request);
                }
            }
            case "GET /v1/models" -> {
                if (authorized(exchange, request)) {
                    models(exchange);
                }
            }
            case "POST /v1/fine_tuning/jobs" -> {
                if (authorized(exchange, request) && valid(exchange, request, "training_file")) {
                    createJob(exchange, request);
                }
            }
            default -> {
                if (route.startsWith("GET /v1/fine_tuning/jobs/")) {
                    if (authorized(exchange, request)) {
                        retrieveJob(exchange, request.path().substring("/v1/fine_tuning/jobs/".length()));
                    }
                    return;
                }
                error(exchange, 404, "Invalid URL (" + route + ")", "invalid_request_error", null, null);
            }
        }
    }

    /** The fine-tuning jobs created so far, as last reported, by id. */
    public Map<String, JsonNode> jobs() {
        return Map.copyOf(jobs);
    }

    private void createJob(HttpExchange exchange, Received request) throws IOException {
        Reply reply = takeReply();
        if (!beforeAnswer(exchange, reply)) {
            return;
        }
        JsonNode body = request.body();
        if (!body.path("training_file").isTextual()) {
            error(exchange, 400, "Invalid type for 'training_file': expected a string.", "invalid_request_error",
                    "training_file", "invalid_type");
            return;
        }
        String id = "ftjob-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        ObjectNode job = JSON.createObjectNode().put("object", "fine_tuning.job").put("id", id)
                .put("model", body.path("model").asText()).put("created_at", System.currentTimeMillis() / 1000);
        job.putNull("finished_at");
        job.putNull("fine_tuned_model");
        job.put("organization_id", "org-fake");
        job.putArray("result_files");
        job.put("status", "validating_files");
        job.put("training_file", body.path("training_file").asText());
        if (body.path("validation_file").isTextual()) {
            job.put("validation_file", body.path("validation_file").asText());
        } else {
            job.putNull("validation_file");
        }
        ObjectNode hyperparameters = job.putObject("hyperparameters");
        for (String name : List.of("batch_size", "learning_rate_multiplier", "n_epochs")) {
            JsonNode given = body.path("hyperparameters").path(name);
            hyperparameters.set(name, given.isMissingNode() ? JSON.getNodeFactory().textNode("auto") : given);
        }
        job.putNull("trained_tokens");
        job.putNull("error");
        job.put("seed", 42);
        job.putNull("estimated_finish");
        job.putArray("integrations");
        job.putNull("metadata");
        suffixes.put(id, body.path("suffix").asText(""));
        ObjectNode method = job.putObject("method").put("type", "supervised");
        method.putObject("supervised").set("hyperparameters", hyperparameters.deepCopy());
        jobs.put(id, job);
        sendJson(exchange, 200, job.toString(), reply);
    }

    private void retrieveJob(HttpExchange exchange, String id) throws IOException {
        Reply reply = takeReply();
        if (!beforeAnswer(exchange, reply)) {
            return;
        }
        ObjectNode job = jobs.computeIfPresent(id, (k, current) -> advance(current));
        if (job == null) {
            error(exchange, 404, "Could not find fine-tune: " + id, "invalid_request_error", "id", null);
            return;
        }
        sendJson(exchange, 200, job.toString(), reply);
    }

    /** The job one step on: validating_files → running → succeeded (or failed for an invalid training file). */
    private ObjectNode advance(ObjectNode current) {
        ObjectNode job = current.deepCopy();
        String status = job.path("status").asText();
        long now = System.currentTimeMillis() / 1000;
        if (status.equals("validating_files")) {
            if (job.path("training_file").asText().startsWith("file-invalid")) {
                job.put("status", "failed").put("finished_at", now);
                job.putObject("error").put("code", "invalid_training_file").put("param", "training_file")
                        .put("message", "The job failed due to an invalid training file. Expected file to have "
                                + "JSONL format, where every line is a valid JSON dictionary.");
            } else {
                job.put("status", "running");
            }
        } else if (status.equals("running")) {
            String suffix = suffixes.getOrDefault(job.path("id").asText(), "");
            job.put("status", "succeeded").put("finished_at", now).put("trained_tokens", 5_120)
                    .put("fine_tuned_model", "ft:" + job.path("model").asText() + ":org-fake:" + suffix + ":"
                            + job.path("id").asText().substring(6, 14));
            job.putArray("result_files").add("file-result" + job.path("id").asText().substring(6, 14));
        }
        return job;
    }

    private boolean authorized(HttpExchange exchange, Received request) throws IOException {
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            error(exchange, 401,
                    "You didn't provide an API key. You need to provide your API key in an Authorization header "
                            + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, null);
            return false;
        }
        if (!authorization.substring("Bearer ".length()).equals(apiKey)) {
            // OpenAI echoes a masked key; the fake does not echo it at all
            error(exchange, 401, "Incorrect API key provided. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.", "invalid_request_error", null,
                    "invalid_api_key");
            return false;
        }
        return true;
    }

    private boolean valid(HttpExchange exchange, Received request, String required) throws IOException {
        JsonNode body = request.body();
        if (!body.isObject()) {
            error(exchange, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null,
                    null);
            return false;
        }
        if (!body.path("model").isTextual()) {
            error(exchange, 400, "you must provide a model parameter", "invalid_request_error", null, null);
            return false;
        }
        if (body.path(required).isMissingNode() || body.path(required).isNull()) {
            error(exchange, 400, "Missing required parameter: '" + required + "'.", "invalid_request_error",
                    required, "missing_required_parameter");
            return false;
        }
        String model = body.path("model").asText();
        if (!models.contains(model)) {
            error(exchange, 404, "The model `" + model + "` does not exist or you do not have access to it.",
                    "invalid_request_error", null, "model_not_found");
            return false;
        }
        return true;
    }

    private void chat(HttpExchange exchange, Received request) throws IOException {
        Reply reply = takeReply();
        if (!beforeAnswer(exchange, reply)) {
            return;
        }
        JsonNode body = request.body();
        String id = "chatcmpl-fake" + IDS.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        String model = body.path("model").asText();
        String finishReason = reply.stopReason() != null
                ? reply.stopReason()
                : reply.toolCall() != null ? "tool_calls" : "stop";
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode completion = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                    .put("created", created).put("model", model);
            ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (reply.hasText() || reply.toolCall() == null) {
                message.put("content", reply.text() == null ? "" : reply.text());
            } else {
                message.putNull("content");
            }
            message.putNull("refusal");
            message.putArray("annotations");
            if (reply.toolCall() != null) {
                ObjectNode call = message.putArray("tool_calls").addObject().put("id", reply.toolCall().id())
                        .put("type", "function");
                call.putObject("function").put("name", reply.toolCall().name()).put("arguments",
                        reply.toolCall().arguments());
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            completion.set("usage", usage(reply));
            completion.put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
            sendJson(exchange, 200, completion.toString(), reply);
            return;
        }
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        EventStream stream = startStream(exchange, reply);
        List<ObjectNode> deltas = new ArrayList<>();
        ObjectNode first = JSON.createObjectNode().put("role", "assistant");
        if (reply.hasText() || reply.toolCall() == null) {
            first.put("content", "");
        } else {
            first.putNull("content");
        }
        first.putNull("refusal");
        deltas.add(first);
        if (reply.hasText()) {
            for (String piece : pieces(reply.text())) {
                deltas.add(JSON.createObjectNode().put("content", piece));
            }
        }
        if (reply.toolCall() != null) {
            // the first tool-call delta names the call; later ones carry argument fragments under the same index
            ObjectNode start = reply.hasText() ? JSON.createObjectNode() : first;
            ObjectNode call = start.putArray("tool_calls").addObject().put("index", 0).put("id",
                    reply.toolCall().id()).put("type", "function");
            call.putObject("function").put("name", reply.toolCall().name()).put("arguments", "");
            if (start != first) {
                deltas.add(start);
            }
            for (String fragment : fragments(reply.toolCall().arguments())) {
                ObjectNode delta = JSON.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments",
                        fragment);
                deltas.add(delta);
            }
        }
        for (ObjectNode delta : deltas) {
            stream.send(null, chunk(id, created, model, delta, null, includeUsage).toString());
        }
        stream.send(null, chunk(id, created, model, JSON.createObjectNode(), finishReason, includeUsage).toString());
        if (includeUsage) {
            ObjectNode last = chunkEnvelope(id, created, model);
            last.putArray("choices");
            last.set("usage", usage(reply));
            stream.send(null, last.toString());
        }
        stream.send(null, "[DONE]");
        stream.end();
    }

    private static ObjectNode chunkEnvelope(String id, long created, String model) {
        return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model).put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
    }

    private static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finishReason,
            boolean includeUsage) {
        ObjectNode chunk = chunkEnvelope(id, created, model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static ObjectNode usage(Reply reply) {
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", reply.inputTokens())
                .put("completion_tokens", reply.outputTokens())
                .put("total_tokens", reply.inputTokens() + reply.outputTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", reply.cachedTokens()).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return usage;
    }

    private void embeddings(HttpExchange exchange, Received request) throws IOException {
        Reply reply = takeReply();
        if (!beforeAnswer(exchange, reply)) {
            return;
        }
        JsonNode body = request.body();
        List<String> inputs = new ArrayList<>();
        if (body.path("input").isArray()) {
            body.path("input").forEach(input -> inputs.add(input.asText()));
        } else {
            inputs.add(body.path("input").asText());
        }
        int dimensions = body.path("dimensions").asInt(8);
        boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] vector = embedding(inputs.get(i), dimensions);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float value : vector) {
                    bytes.putFloat(value);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        response.put("model", body.path("model").asText());
        response.putObject("usage").put("prompt_tokens", reply.inputTokens()).put("total_tokens",
                reply.inputTokens());
        sendJson(exchange, 200, response.toString(), reply);
    }

    /** The vector the fake gives {@code text}: derived from its SHA-256, values in [-1, 1). */
    public static float[] embedding(String text, int dimensions) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = digest[i % digest.length] / 128f;
        }
        return vector;
    }

    private void models(HttpExchange exchange) throws IOException {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String model : models) {
            data.addObject().put("id", model).put("object", "model").put("created", 1_700_000_000L).put("owned_by",
                    "system");
        }
        sendJson(exchange, 200, list.toString(), null);
    }

    @Override
    protected void sendError(HttpExchange exchange, Status status) throws IOException {
        int code = status.status();
        String type = status.type() != null
                ? status.type()
                : switch (code) {
                    case 401, 404, 400 -> "invalid_request_error";
                    case 429 -> "requests";
                    default -> code >= 500 ? "server_error" : "invalid_request_error";
                };
        String message = status.message() != null
                ? status.message()
                : switch (code) {
                    case 401 -> "Incorrect API key provided.";
                    case 404 -> "The model does not exist or you do not have access to it.";
                    case 429 -> "Rate limit reached for requests per min (RPM). Please try again in 20ms.";
                    default -> code >= 500
                            ? "The server had an error while processing your request. Sorry about that!"
                            : "Invalid request.";
                };
        String errorCode = switch (code) {
            case 401 -> "invalid_api_key";
            case 404 -> "model_not_found";
            case 429 -> "rate_limit_exceeded";
            default -> null;
        };
        error(exchange, code, message, type, null, errorCode);
    }

    private void error(HttpExchange exchange, int status, String message, String type, String param, String code)
            throws IOException {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode inner = error.putObject("error").put("message", message).put("type", type);
        if (param == null) {
            inner.putNull("param");
        } else {
            inner.put("param", param);
        }
        if (code == null) {
            inner.putNull("code");
        } else {
            inner.put("code", code);
        }
        sendJson(exchange, status, error.toString(), null);
    }
}
