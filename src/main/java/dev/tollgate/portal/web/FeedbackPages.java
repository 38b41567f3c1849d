package dev.tollgate.portal.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.tollgate.accounts.UserView;
import dev.tollgate.notifications.Feedback;
import dev.tollgate.platform.ProblemException;

/**
 * {@code /feedback}: any signed-in user tells the admins about a bug, wish or question (the service of
 * {@code POST /api/v1/feedback}) and sees their earlier feedback with the admins' answers.
 */
@Path("/feedback")
@PortalPage
@Produces("text/html")
class FeedbackPages {

    /** The kinds of feedback, in the form's order, with their labels. */
    static final List<Kind> KINDS = List.of(new Kind("bug", "Something does not work (bug)"),
            new Kind("feature", "An idea or wish (feature)"), new Kind("question", "A question"),
            new Kind("other", "Something else"));

    record Kind(String id, String label) {
    }

    /** What was typed, shown again with the error. */
    record Form(String type, String message) {
    }

    /** Earlier feedback as the page lists it. */
    record Sent(String type, String message, String status, String answer, String time) {
    }

    private final Pages pages;
    private final Feedback feedback;

    FeedbackPages(Pages pages, Feedback feedback) {
        this.pages = pages;
        this.feedback = feedback;
    }

    @GET
    public Response form() {
        UserView me = pages.user();
        return pages.html(page(me, new Form("bug", ""), null));
    }

    @POST
    public Response send(@RestForm String type, @RestForm String message) {
        UserView me = pages.user();
        Form typed = new Form(type == null ? "" : type, message == null ? "" : message);
        try {
            if (typed.message().isBlank()) {
                throw ProblemException.invalid("message", "write what you would like to tell us");
            }
            feedback.submit(me.id(), typed.type(), typed.message());
            return pages.redirect("/feedback", "Thank you! Your feedback was sent to the admins; their answer will "
                    + "show here and in your notifications.");
        } catch (ProblemException e) {
            return pages.html(e.status(), page(me, typed, e.detail()).render());
        }
    }

    private io.quarkus.qute.TemplateInstance page(UserView me, Form form, String error) {
        List<Sent> sent = feedback.mine(me.id()).stream().map(f -> new Sent(f.type(), f.message(), f.status(),
                f.adminResponse(), NotificationPages.time(f.createdAt()))).toList();
        return pages.template("feedback").data("form", form).data("error", error).data("kinds", KINDS)
                .data("sent", sent);
    }
}
