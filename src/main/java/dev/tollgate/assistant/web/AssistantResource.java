package dev.tollgate.assistant.web;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.aiproxy.ModelCalls.Completion;
import dev.tollgate.assistant.Assistant;
import dev.tollgate.assistant.Assistant.ConversationSummary;
import dev.tollgate.assistant.Assistant.ConversationView;
import dev.tollgate.platform.Money;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.SseEvents;
import io.quarkus.security.Authenticated;

/**
 * The assistant's endpoints: {@code POST /api/v1/assistant/chat} answered as Server-Sent Events ({@code delta} events
 * with the text as it comes, then one {@code done} event with the conversation, usage and cost; an {@code error}
 * event when the model breaks off), or as one JSON object with {@code "stream": false}; and the user's conversations.
 * Refusals (422, 402, 404, 503, and the model's failures before its first delta) are problem+json answers before any
 * event.
 */
@Path("/api/v1/assistant")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "jwt")
@Tag(name = "assistant")
@Authenticated
public class AssistantResource {

    private static final Logger LOG = Logger.getLogger(AssistantResource.class);
    /** Longest wait for the model's first delta or answer (the AI proxy's own timeouts end calls sooner). */
    private static final long FIRST_EVENT_WAIT_SECONDS = 300;
    private static final Object END = new Object();

    private final Assistant assistant;
    private final CurrentUser currentUser;
    private final ObjectMapper json;

    AssistantResource(Assistant assistant, CurrentUser currentUser, ObjectMapper json) {
        this.assistant = assistant;
        this.currentUser = currentUser;
        this.json = json;
    }

    /** {@code message} (1 to 8,000 characters), {@code conversation_id} to continue one, {@code stream} (true). */
    public record ChatRequest(String message, String conversationId, Boolean stream) {
    }

    /** Tokens of one answer. */
    public record Usage(long inputTokens, long outputTokens) {
    }

    /** The answer: the whole reply, its conversation, model, tokens and cost (what the {@code done} event holds). */
    public record ChatAnswer(UUID conversationId, String reply, String model, Usage usage, BigDecimal cost) {
    }

    /** One piece of the reply ({@code delta} event). */
    public record Delta(String text) {
    }

    @POST
    @Path("/chat")
    @Produces({MediaType.SERVER_SENT_EVENTS, MediaType.APPLICATION_JSON})
    @APIResponse(responseCode = "200", description = "The answer: Server-Sent Events (event: delta, data: {text}; "
            + "then event: done, data: the ChatAnswer; or event: error, data: a problem), or with \"stream\": false "
            + "one ChatAnswer", content = {
                    @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChatAnswer.class))})
    @APIResponse(responseCode = "402", ref = "PaymentRequired")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @APIResponse(responseCode = "502", ref = "BadGateway")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "504", ref = "GatewayTimeout")
    @Operation(operationId = "assistantChat", summary = "Ask the AI assistant about my APIs", description = "{message, "
            + "conversation_id?, stream?}: the assistant knows the platform's docs and your APIs, and the last 20 "
            + "messages of the conversation. Paid from your credit at the model's price (402 when the worst case is "
            + "not covered); 503 when no model is configured (TOLLGATE_GENERATOR_MODEL). Streamed unless "
            + "\"stream\": false.")
    public Response chat(@NotNull(message = "a JSON body is required") ChatRequest body) {
        Assistant.Prepared prepared = assistant.prepare(currentUser.id(), body.message(), body.conversationId());
        if (Boolean.FALSE.equals(body.stream())) {
            Completion completion;
            try {
                completion = assistant.answer(prepared, null).join();
            } catch (CompletionException e) {
                throw Assistant.problemOf(e);
            }
            return Response.ok(answer(assistant.record(prepared, completion)), MediaType.APPLICATION_JSON).build();
        }
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        CompletableFuture<Completion> call = assistant.answer(prepared, events::add);
        call.whenComplete((done, failure) -> events.add(END));
        Object first = take(events);
        if (first == END && call.isCompletedExceptionally()) {
            throw Assistant.problemOf(failureOf(call));
        }
        StreamingOutput stream = out -> {
            boolean open = write(out, "delta", first == END ? null : new Delta((String) first));
            Object next = first;
            while (next != END) {
                next = take(events);
                if (next != END) {
                    open = write(out, open, "delta", new Delta((String) next));
                }
            }
            if (call.isCompletedExceptionally()) {
                ProblemException problem = Assistant.problemOf(failureOf(call));
                write(out, open, "error", Map.of("status", problem.status(), "title", problem.title(), "detail",
                        problem.detail()));
                return;
            }
            write(out, open, "done", answer(assistant.record(prepared, call.join())));
        };
        return Response.ok(stream, MediaType.SERVER_SENT_EVENTS).header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    private static Object take(BlockingQueue<Object> events) {
        try {
            Object next = events.poll(FIRST_EVENT_WAIT_SECONDS, TimeUnit.SECONDS);
            if (next == null) {
                throw new ProblemException(504, "Gateway Timeout", "The assistant's model did not answer in time.");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Service Unavailable", "The server is stopping.");
        }
    }

    private static Throwable failureOf(CompletableFuture<Completion> call) {
        try {
            call.join();
            return null;
        } catch (CompletionException e) {
            return e;
        }
    }

    private boolean write(OutputStream out, String event, Object data) {
        return data == null || write(out, true, event, data);
    }

    /**
     * Writes one event unless the client has gone; the answer is still recorded (it was paid for), so a client that
     * leaves finds it in the conversation.
     */
    private boolean write(OutputStream out, boolean open, String event, Object data) {
        if (!open) {
            return false;
        }
        boolean written = SseEvents.write(out, json, event, data);
        if (!written) {
            LOG.debug("The assistant's client left");
        }
        return written;
    }

    private static ChatAnswer answer(Assistant.Turn turn) {
        return new ChatAnswer(turn.conversationId(), turn.reply(), turn.model(),
                new Usage(turn.inputTokens(), turn.outputTokens()), Money.fromMicros(turn.costMicros()));
    }

    @GET
    @Path("/conversations")
    @APIResponse(responseCode = "200", description = "My conversations, most recently active first")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listAssistantConversations", summary = "My conversations with the assistant")
    public List<ConversationSummary> conversations(@QueryParam("skip") @DefaultValue("0") int skip,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return assistant.conversations(currentUser.id(), skip, limit);
    }

    @GET
    @Path("/conversations/{id}")
    @APIResponse(responseCode = "200", description = "The conversation with its messages in order")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getAssistantConversation", summary = "One of my conversations with its messages", description = "The assistant's messages carry the model, tokens and cost of the answer.")
    public ConversationView conversation(@PathParam("id") UUID id) {
        return assistant.conversation(currentUser.id(), id);
    }

    @DELETE
    @Path("/conversations/{id}")
    @APIResponse(responseCode = "204", description = "Deleted with its messages")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "deleteAssistantConversation", summary = "Delete one of my conversations")
    public Response delete(@PathParam("id") UUID id) {
        assistant.delete(currentUser.id(), id);
        return Response.noContent().build();
    }
}
