package dev.tollgate.hosted;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.aiproxy.ModelCalls;
import dev.tollgate.catalog.Actor;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;

/**
 * Improvements for one of my hosted APIs, from the generator model with the active version's code as context: missing
 * error handling, input validation, documentation, and anything else worth changing. Paid from the user's credit at
 * the model's price.
 */
@ApplicationScoped
public class Suggestions {

    static final String SYSTEM = """
            You review HTTP APIs written for Tollgate's hosted runtime: one JavaScript module,
            export default { routes: { "GET /path/{id}": (req) => ({ status, json }) } }, with req.params, req.query,
            req.headers, req.body, req.json, and fetch, env (secrets) and kv (a key/value store) available.
            Suggest the most useful improvements: missing error handling, input validation, status codes,
            documentation (what each route does), security, performance. Answer with a JSON array only, at most 8
            items, each {"kind": "error_handling" | "validation" | "docs" | "security" | "performance" | "other",
            "title": "...", "detail": "... (what to change and why, with a short code example when it helps)"}.
            """;

    /** One suggestion. */
    public record Suggestion(String kind, String title, String detail) {
    }

    /** The suggestions for a version and what they cost. */
    public record Review(UUID apiId, int version, String model, List<Suggestion> suggestions, BigDecimal cost) {
    }

    private final HostedApis hosted;
    private final Generations generations;
    private final ModelCalls models;
    private final HostedConfig config;
    private final ObjectMapper json = new ObjectMapper();

    Suggestions(HostedApis hosted, Generations generations, ModelCalls models, HostedConfig config) {
        this.hosted = hosted;
        this.generations = generations;
        this.models = models;
        this.config = config;
    }

    public Review review(Actor actor, UUID apiId) {
        if (apiId == null) {
            throw ProblemException.invalid("api_id", "is required: one of your hosted APIs");
        }
        String model = generations.requireModel();
        VersionView active = hosted.versions(apiId, actor).stream().filter(VersionView::active).findFirst()
                .orElseThrow(() -> ProblemException.conflict("API " + apiId + " has no deployed version to review"));
        String code = hosted.version(apiId, active.number(), actor).code();
        ModelCalls.Completion completion;
        try {
            completion = models.complete(actor.userId(), model, List.of(ModelCalls.Message.system(SYSTEM),
                    ModelCalls.Message.user("Review this API:\n\n```javascript\n" + code + "\n```")),
                    config.generation().maxTokens()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ModelCalls.Failure failure) {
                throw new ProblemException(failure.status(), dev.tollgate.platform.Problems.title(failure.status()),
                        failure.getMessage());
            }
            throw e;
        }
        return new Review(apiId, active.number(), model, parse(completion.text()),
                Money.fromMicros(completion.costMicros()));
    }

    /** The answer's JSON array of suggestions; an answer that is not one becomes a single suggestion. */
    List<Suggestion> parse(String text) {
        int start = text.indexOf('[');
        int end = text.lastIndexOf(']');
        if (start >= 0 && end > start) {
            try {
                JsonNode array = json.readTree(text.substring(start, end + 1));
                List<Suggestion> suggestions = new ArrayList<>();
                for (JsonNode item : array) {
                    if (item.hasNonNull("title") || item.hasNonNull("detail")) {
                        suggestions.add(new Suggestion(item.path("kind").asText("other"),
                                item.path("title").asText(""), item.path("detail").asText("")));
                    }
                }
                if (!suggestions.isEmpty()) {
                    return suggestions.subList(0, Math.min(suggestions.size(), 8));
                }
            } catch (java.io.IOException e) {
                // not JSON after all: fall through
            }
        }
        return List.of(new Suggestion("other", "Review", text.strip()));
    }
}
