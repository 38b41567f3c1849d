package dev.tollgate.aiproxy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI's fine-tuning jobs API ({@code POST/GET base_url + /fine_tuning/jobs}) at a channel that speaks OpenAI's
 * protocol; Anthropic offers none ({@link #supports}). Non-blocking; a call that does not yield a job fails with
 * {@link Failure}, whose message may be shown (it never holds the channel's key).
 */
@ApplicationScoped
public class FineTuningJobs {

    private static final int MAX_SHOWN = 500;

    /** A job as the provider reports it: {@code status} is the provider's own, {@code error} its failure message. */
    public record Job(String id, String status, String fineTunedModel, String error) {
    }

    /** The provider did not answer, or answered with something other than a job. */
    public static final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final ChannelRequests requests;

    FineTuningJobs(ChannelRequests requests) {
        this.requests = requests;
    }

    /** Whether channels of this provider can run fine-tuning jobs. */
    public static boolean supports(AiProvider provider) {
        return provider != AiProvider.ANTHROPIC;
    }

    /**
     * Creates a job fine-tuning the channel's upstream model; {@code request} holds the job's other fields
     * ({@code training_file}, {@code validation_file}, {@code hyperparameters}, {@code suffix}).
     */
    public CompletionStage<Job> create(ModelRoute.Channel channel, JsonObject request) {
        JsonObject body = new JsonObject().put("model", channel.upstreamModel()).mergeIn(request);
        return call(channel, HttpMethod.POST, "/fine_tuning/jobs", body, "create the fine-tuning job");
    }

    /** The job's current state. */
    public CompletionStage<Job> retrieve(ModelRoute.Channel channel, String jobId) {
        String path = "/fine_tuning/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20");
        return call(channel, HttpMethod.GET, path, null, "report the fine-tuning job");
    }

    private CompletionStage<Job> call(ModelRoute.Channel channel, HttpMethod method, String path, JsonObject body,
            String what) {
        if (!supports(channel.provider())) {
            return Future.<Job>failedFuture(new Failure("Anthropic offers no fine-tuning API.")).toCompletionStage();
        }
        return requests.send(channel, method, path, body)
                .recover(e -> Future.failedFuture(new Failure("The provider did not " + what + ": "
                        + (e instanceof ChannelRequests.NoAnswer ? e.getMessage() : e.getClass().getSimpleName())
                        + ".")))
                .map(answer -> job(channel, answer, what))
                .toCompletionStage();
    }

    private static Job job(ModelRoute.Channel channel, ChannelRequests.Answer answer, String what) {
        JsonObject json = answer.json();
        if (answer.status() < 200 || answer.status() >= 300) {
            String message = ChannelRequests.errorMessage(json);
            throw new Failure("The provider did not " + what + " (HTTP " + answer.status()
                    + (message == null ? "" : ": " + ChannelRequests.shown(message, channel, MAX_SHOWN)) + ").");
        }
        if (json == null || !(json.getValue("id") instanceof String id) || id.isBlank() || id.length() > 200
                || !(json.getValue("status") instanceof String status) || status.isBlank() || status.length() > 32) {
            throw new Failure("The provider's answer is not a fine-tuning job.");
        }
        String fineTuned = json.getValue("fine_tuned_model") instanceof String name
                ? ChannelRequests.shown(name, channel, 299)
                : null;
        String error = null;
        if (json.getValue("error") instanceof JsonObject failure && failure.getValue("message") instanceof String m) {
            error = ChannelRequests.shown(m, channel, MAX_SHOWN);
        }
        return new Job(id, status, fineTuned, error);
    }
}
