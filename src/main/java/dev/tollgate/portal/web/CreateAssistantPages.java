package dev.tollgate.portal.web;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.accounts.UserView;
import dev.tollgate.aiproxy.ModelCalls;
import dev.tollgate.assistant.Assistant;
import dev.tollgate.assistant.AssistantConfig;
import dev.tollgate.platform.ProblemException;
import io.quarkus.qute.TemplateInstance;

/**
 * The AI assistant's chat panel: {@code GET /create/assistant} is the panel (a fragment for htmx, which the provider
 * dashboard loads into its {@code #assistant-slot}; the whole page otherwise) with the last conversation, or the one
 * asked for, or a new one; {@code POST /create/assistant/messages} sends a message through the {@link Assistant}
 * (whole answers, not streamed) and answers the updated messages (htmx) or redirects back to the page.
 */
@Path("/create/assistant")
@PortalPage
@Produces("text/html")
class CreateAssistantPages {

    private static final int EARLIER = 5;

    private final Pages pages;
    private final Assistant assistant;
    private final AssistantConfig config;
    private final ModelCalls models;

    CreateAssistantPages(Pages pages, Assistant assistant, AssistantConfig config, ModelCalls models) {
        this.pages = pages;
        this.assistant = assistant;
        this.config = config;
        this.models = models;
    }

    /** One message of the chat; {@code meta} (model and cost) on the assistant's answers only. */
    record ChatMessage(String role, String content, String meta) {
    }

    /**
     * The chat shown: the conversation's id (empty for a new one), its messages, an error of the last send, the
     * message typed (kept when sending failed), why the assistant cannot answer at all, and earlier conversations.
     */
    record Chat(String conversationId, String title, List<ChatMessage> messages, String error, String draft,
            String modelProblem, List<Assistant.ConversationSummary> earlier) {
    }

    @GET
    public Response panel(@RestQuery String conversation, @RestQuery("new") String fresh) {
        UserView me = pages.user();
        Chat chat;
        if (CreatePages.checked(fresh)) {
            chat = chat(me.id(), null, null, "");
        } else if (conversation != null && !conversation.isBlank()) {
            chat = chat(me.id(), conversationId(conversation), null, "");
        } else {
            List<Assistant.ConversationSummary> last = assistant.conversations(me.id(), 0, 1);
            chat = chat(me.id(), last.isEmpty() ? null : last.get(0).id(), null, "");
        }
        return pages.html(page(pages.htmx() ? "create-assistant-panel" : "create-assistant", chat));
    }

    @POST
    @Path("messages")
    public Response send(@RestForm String message, @RestForm("conversation_id") String conversationId) {
        UserView me = pages.user();
        UUID existing = conversationId == null || conversationId.isBlank() ? null : conversationId(conversationId);
        try {
            Assistant.Prepared prepared = assistant.prepare(me.id(), message,
                    existing == null ? null : existing.toString());
            Assistant.Turn turn;
            try {
                turn = assistant.record(prepared, assistant.answer(prepared, null).join());
            } catch (CompletionException e) {
                throw Assistant.problemOf(e);
            }
            if (!pages.htmx()) {
                return pages.redirect("/create/assistant?conversation=" + turn.conversationId(), null);
            }
            return pages.html(page("create-assistant-messages", chat(me.id(), turn.conversationId(), null, "")));
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            Chat chat = chat(me.id(), existing, explain(e), message == null ? "" : message);
            return pages.html(e.status(), page(pages.htmx() ? "create-assistant-messages" : "create-assistant", chat)
                    .render());
        }
    }

    private TemplateInstance page(String template, Chat chat) {
        return pages.template(template).data("chat", chat);
    }

    private Chat chat(UUID userId, UUID conversationId, String error, String draft) {
        String title = null;
        List<ChatMessage> messages = List.of();
        if (conversationId != null) {
            Assistant.ConversationView conversation = assistant.conversation(userId, conversationId);
            title = conversation.title();
            messages = conversation.messages().stream().map(m -> new ChatMessage(m.role(), m.content(),
                    m.model() == null ? null : m.model() + " · " + CreatePages.money(m.cost()))).toList();
        }
        List<Assistant.ConversationSummary> earlier = assistant.conversations(userId, 0, EARLIER + 1).stream()
                .filter(c -> !c.id().equals(conversationId)).limit(EARLIER).toList();
        return new Chat(conversationId == null ? "" : conversationId.toString(), title, messages, error, draft,
                modelProblem(), earlier);
    }

    /** Why the assistant cannot answer anyone, or null: no model configured, or it is not an enabled model. */
    private String modelProblem() {
        String model = config.generatorModel().filter(m -> !m.isBlank()).orElse(null);
        if (model == null) {
            return "The assistant has no AI model yet — an admin sets TOLLGATE_GENERATOR_MODEL to one of the AI"
                    + " models (see /models) and restarts Tollgate.";
        }
        if (!models.exists(model)) {
            return "The assistant's model '" + model + "' is not an enabled AI model — an admin enables it or sets"
                    + " TOLLGATE_GENERATOR_MODEL to another one.";
        }
        return null;
    }

    private static String explain(ProblemException e) {
        if (e.status() == 402) {
            return "Not enough credit for the assistant's answer — add credit on the billing page. " + e.detail();
        }
        if (e.status() == 503 && e.detail() != null && e.detail().contains("TOLLGATE_GENERATOR_MODEL")) {
            return "No AI model is configured for the assistant — an admin sets TOLLGATE_GENERATOR_MODEL. "
                    + e.detail();
        }
        return e.detail();
    }

    private static UUID conversationId(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("There is no conversation " + text.strip() + ".");
        }
    }
}
