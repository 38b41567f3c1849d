package dev.tollgate.assistant;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.aiproxy.ModelCalls;
import dev.tollgate.aiproxy.ModelCalls.Completion;
import dev.tollgate.aiproxy.ModelCalls.Message;
import dev.tollgate.assistant.store.AssistantMessageEntity;
import dev.tollgate.assistant.store.AssistantStore;
import dev.tollgate.assistant.store.ConversationEntity;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The AI assistant (seed 002): a conversation about the user's APIs, answered by the generator model
 * ({@link AssistantConfig#generatorModel()}) through {@link ModelCalls}, with the platform's docs in short and the
 * user's API list as the system prompt, and at most the last {@value #HISTORY_MESSAGES} messages of the conversation.
 * Each answer is paid from the user's credit at the model's price (by {@link ModelCalls}, once).
 * <p>
 * A chat is three steps, so that a web resource can refuse before it starts streaming: {@link #prepare} checks the
 * input, the model and the conversation (422, 503, 404) and writes nothing; {@link #answer} calls the model; only a
 * completed answer is {@linkplain #record recorded}, with the user's message, in one transaction. A call that fails
 * stores nothing.
 */
@ApplicationScoped
public class Assistant {

    public static final int MAX_MESSAGE_CHARS = 8_000;
    /** Messages of the conversation sent to the model before the new one (the latest ones). */
    public static final int HISTORY_MESSAGES = 20;
    /** The most output tokens an answer may have. */
    public static final int MAX_ANSWER_TOKENS = 2_048;
    /** APIs of the user listed in the prompt. */
    static final int LISTED_APIS = 50;
    private static final int MAX_STORED_CHARS = 64_000;
    private static final int TITLE_CHARS = 80;

    /** The short docs of the platform the assistant knows (the first part of its system prompt). */
    static final String PLATFORM_DOCS = """
            You are Tollgate's assistant. Tollgate is a self-hosted API marketplace and gateway: providers publish \
            HTTP APIs, AI models and AI-generated APIs; consumers subscribe, get one API key and call everything \
            through the gateway at /gw/{api-slug}/{path}, where every call is authenticated, rate limited, metered \
            and charged in credits. AI models are served OpenAI- and Anthropic-compatible at /v1.

            Hosted APIs are code Tollgate runs itself: JavaScript (ES2023) in a sandbox, in this handler contract:
            export default {
              routes: {
                "GET /facts/{id}": (req) => ({ status: 200, json: { id: req.params.id } }),
                "POST /echo": (req) => ({ status: 200, json: req.json })
              }
            }
            A request has method, path, params (the path parameters), query (first values), queryAll, headers \
            (lower-case names), body (text) and json (the parsed body or null); a response has status (default \
            200), optional headers, and json, text or body. Handlers may be async. The sandbox has no file system, \
            imports, timers, processes, threads or host classes; each call has a time and memory limit; await \
            fetch(url, {method, headers, body}) reaches public addresses only; per-API secrets are env.NAME; a \
            synchronous per-API key/value store offers kv.get, kv.put (string values), kv.getJson, kv.putJson, \
            kv.delete and kv.list(prefix, limit). Secrets are set with POST /api/v1/apis/{id}/secrets {name, value}.

            Creating APIs: POST /api/v1/generate {prompt, name?} writes the code from a description, tests it and \
            stores it as a draft version; POST /api/v1/deploy {api_id, version?} deploys a version (or {code} your \
            own code); versions are listed at GET /api/v1/apis/{id}/versions and rolled back with POST \
            /api/v1/apis/{id}/versions/{n}/activate; GET /api/v1/templates lists templates. A proxied API is created \
            with POST /api/v1/apis {name, base_url}; its plans are under /api/v1/apis/{id}/plans; POST \
            /api/v1/marketplace/publish lists it in the marketplace. Keys: POST /api/v1/api-keys.

            Answer briefly and concretely; give code in the handler contract when asked for code. Say so when you \
            do not know.""";

    /** A checked chat message, ready to be sent: nothing is stored yet. */
    public record Prepared(UUID userId, UUID conversationId, boolean newConversation, String message, String model,
            List<Message> prompt) {
    }

    /** A recorded exchange: the answer and what it used and cost. */
    public record Turn(UUID conversationId, String reply, String model, long inputTokens, long outputTokens,
            long costMicros) {
    }

    /** A conversation in the list. */
    public record ConversationSummary(UUID id, String title, long messageCount, Instant createdAt,
            Instant updatedAt) {
    }

    /** One message; the model, tokens and cost are set on the assistant's answers only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageView(String role, String content, String model, Long inputTokens, Long outputTokens,
            BigDecimal cost, Instant createdAt) {
    }

    /** A conversation with its messages in order. */
    public record ConversationView(UUID id, String title, Instant createdAt, Instant updatedAt,
            List<MessageView> messages) {
    }

    private final AssistantConfig config;
    private final ModelCalls models;
    private final ApiCatalog catalog;
    private final AssistantStore store;
    private final Clock clock;

    Assistant(AssistantConfig config, ModelCalls models, ApiCatalog catalog, AssistantStore store, Clock clock) {
        this.config = config;
        this.models = models;
        this.catalog = catalog;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Checks a message (422), the model (503 when none is configured or it is not an enabled model) and the
     * conversation ({@code null}: a new one; 404 when it is not the user's), and builds what is sent to the model.
     */
    public Prepared prepare(UUID userId, String message, String conversationId) {
        if (message == null || message.isBlank()) {
            throw ProblemException.invalid("message", "is required");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw ProblemException.invalid("message", "must be at most " + MAX_MESSAGE_CHARS + " characters");
        }
        UUID existing = null;
        if (conversationId != null) {
            try {
                existing = UUID.fromString(conversationId);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("conversation_id", "must be a conversation's id (a UUID)");
            }
        }
        String model = model();
        UUID id = existing;
        List<Message> prompt = new ArrayList<>();
        prompt.add(Message.system(systemPrompt(userId)));
        if (id != null) {
            QuarkusTransaction.requiringNew().run(() -> {
                store.conversation(id, userId).orElseThrow(() -> notFound(id));
                for (AssistantMessageEntity m : store.lastMessages(id, HISTORY_MESSAGES)) {
                    prompt.add("assistant".equals(m.role) ? Message.assistant(m.content) : Message.user(m.content));
                }
            });
        }
        prompt.add(Message.user(message));
        return new Prepared(userId, id == null ? UUID.randomUUID() : id, id == null, message, model,
                List.copyOf(prompt));
    }

    /** The configured model, or 503 saying how to configure one. */
    private String model() {
        String model = config.generatorModel().filter(name -> !name.isBlank()).orElseThrow(
                () -> new ProblemException(503, "Service Unavailable", "The assistant has no AI model: set"
                        + " TOLLGATE_GENERATOR_MODEL=<one of the AI models, see GET /v1/models> and restart."));
        if (!models.exists(model)) {
            throw unknownModel(model);
        }
        return model;
    }

    private static ProblemException unknownModel(String model) {
        return new ProblemException(503, "Service Unavailable", "The assistant's model '" + model
                + "' (TOLLGATE_GENERATOR_MODEL) is not an enabled AI model; set TOLLGATE_GENERATOR_MODEL=<one of the"
                + " AI models, see GET /v1/models>, or enable that model.");
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("No conversation with id " + id + ".");
    }

    /** The system prompt: the platform's docs and the user's APIs. */
    String systemPrompt(UUID userId) {
        List<ApiView> apis = catalog.mine(userId);
        StringBuilder prompt = new StringBuilder(PLATFORM_DOCS.length() + 64 * Math.min(apis.size(), LISTED_APIS));
        prompt.append(PLATFORM_DOCS).append("\n\nThe user's APIs");
        if (apis.isEmpty()) {
            return prompt.append(": none yet.").toString();
        }
        prompt.append(" (name, slug, kind, status, visibility):");
        for (ApiView api : apis.subList(0, Math.min(apis.size(), LISTED_APIS))) {
            prompt.append("\n- ").append(api.name()).append(" (").append(api.slug()).append(", ").append(api.kind())
                    .append(", ").append(api.status())
                    .append(", ").append(api.visibility()).append(")");
        }
        if (apis.size() > LISTED_APIS) {
            prompt.append("\n- and ").append(apis.size() - LISTED_APIS).append(" more");
        }
        return prompt.toString();
    }

    /**
     * Calls the model: streamed when {@code onDelta} is given (it gets the text as it comes, on an event loop: it must
     * not block), else whole. Fails with {@link ModelCalls.Failure}; {@link #problemOf} turns that into the answer.
     */
    public CompletableFuture<Completion> answer(Prepared prepared, Consumer<String> onDelta) {
        return onDelta == null
                ? models.complete(prepared.userId(), prepared.model(), prepared.prompt(), MAX_ANSWER_TOKENS)
                : models.stream(prepared.userId(), prepared.model(), prepared.prompt(), MAX_ANSWER_TOKENS, onDelta);
    }

    /** Stores the user's message and the completed answer (a new conversation is created with them). */
    public Turn record(Prepared prepared, Completion completion) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            ConversationEntity conversation = store.lockedConversation(prepared.conversationId()).orElse(null);
            if (conversation == null) {
                // new, or deleted while the model answered: (re)created with this exchange
                conversation = new ConversationEntity();
                conversation.id = prepared.conversationId();
                conversation.userId = prepared.userId();
                conversation.title = title(prepared.message());
                conversation.createdAt = now;
                conversation.updatedAt = now;
                store.persist(conversation);
            } else if (!conversation.userId.equals(prepared.userId())) {
                throw notFound(prepared.conversationId());
            }
            conversation.updatedAt = now;
            int seq = store.nextSeq(conversation.id);
            store.persist(message(conversation.id, seq, "user", prepared.message(), null, 0, 0, 0, now));
            String reply = completion.text().length() > MAX_STORED_CHARS
                    ? completion.text().substring(0, MAX_STORED_CHARS)
                    : completion.text();
            store.persist(message(conversation.id, seq + 1, "assistant", reply, completion.model(),
                    completion.inputTokens(), completion.outputTokens(), completion.costMicros(), now));
            return new Turn(conversation.id, completion.text(), completion.model(), completion.inputTokens(),
                    completion.outputTokens(), completion.costMicros());
        });
    }

    private static AssistantMessageEntity message(UUID conversationId, int seq, String role, String content,
            String model, long input, long output, long cost, Instant at) {
        AssistantMessageEntity message = new AssistantMessageEntity();
        message.id = UUID.randomUUID();
        message.conversationId = conversationId;
        message.seq = seq;
        message.role = role;
        message.content = content;
        message.model = model;
        message.inputTokens = input;
        message.outputTokens = output;
        message.costMicros = cost;
        message.createdAt = at;
        return message;
    }

    private static String title(String message) {
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.length() <= TITLE_CHARS ? line : line.substring(0, TITLE_CHARS - 1) + "…";
    }

    /** The problem to answer for a failed model call (402 no credit, 503 no model, 502/504 vendor failures ...). */
    public static ProblemException problemOf(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ProblemException problem) {
            return problem;
        }
        if (cause instanceof ModelCalls.Failure f) {
            return switch (f.kind()) {
                case UNKNOWN_MODEL -> new ProblemException(503, "Service Unavailable", f.getMessage()
                        + " Set TOLLGATE_GENERATOR_MODEL=<one of the AI models, see GET /v1/models>.");
                case NOT_ENOUGH_CREDIT -> new ProblemException(402, "Payment Required", f.getMessage(),
                        Map.of("needed", Money.fromMicros(f.neededMicros())), Map.of());
                case CREDIT_UNAVAILABLE -> new ProblemException(503, "Service Unavailable", f.getMessage());
                case REFUSED -> new ProblemException(502, "Bad Gateway", f.getMessage());
                case UPSTREAM_FAILED -> new ProblemException(502, "Bad Gateway", f.getMessage());
                case TIMED_OUT -> new ProblemException(504, "Gateway Timeout", f.getMessage());
            };
        }
        return new ProblemException(500, "Internal Server Error", "The assistant failed; nothing was charged.");
    }

    /** The user's conversations, most recently active first. */
    public List<ConversationSummary> conversations(UUID userId, int skip, int limit) {
        if (skip < 0 || limit < 1 || limit > 200) {
            throw ProblemException.invalid(skip < 0 ? "skip" : "limit",
                    skip < 0 ? "must be at least 0" : "must be 1 to 200");
        }
        return QuarkusTransaction.requiringNew().call(() -> store.conversationsOf(userId, skip, limit).stream()
                .map(c -> new ConversationSummary(c.id, c.title, store.messageCount(c.id), c.createdAt, c.updatedAt))
                .toList());
    }

    /** One of the user's conversations with its messages (404 for anyone else's). */
    public ConversationView conversation(UUID userId, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ConversationEntity c = store.conversation(id, userId).orElseThrow(() -> notFound(id));
            List<MessageView> messages = store.messages(id).stream().map(m -> "assistant".equals(m.role)
                    ? new MessageView(m.role, m.content, m.model, m.inputTokens, m.outputTokens,
                            Money.fromMicros(m.costMicros), m.createdAt)
                    : new MessageView(m.role, m.content, null, null, null, null, m.createdAt)).toList();
            return new ConversationView(c.id, c.title, c.createdAt, c.updatedAt, messages);
        });
    }

    /** Deletes one of the user's conversations (404 for anyone else's). */
    public void delete(UUID userId, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> store.delete(store.conversation(id, userId)
                .orElseThrow(() -> notFound(id))));
    }
}
