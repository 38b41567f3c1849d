package dev.tollgate.notifications.web;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.notifications.Feedback;
import dev.tollgate.notifications.Feedback.FeedbackView;
import io.quarkus.security.Authenticated;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "jwt")
@Tag(name = "notifications")
public class FeedbackResource {

    private final Feedback feedback;
    private final CurrentUser currentUser;

    FeedbackResource(Feedback feedback, CurrentUser currentUser) {
        this.feedback = feedback;
        this.currentUser = currentUser;
    }

    public record FeedbackRequest(String type, String message) {
    }

    public record Answer(String status, String adminResponse) {
    }

    @POST
    @Path("/feedback")
    @Authenticated
    @APIResponse(responseCode = "201", description = "Sent to the admins")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "sendFeedback", summary = "Send feedback to the admins", description = "type: bug, feature, question or other.")
    public Response submit(@NotNull(message = "a JSON body is required") FeedbackRequest body) {
        return Response.status(201).entity(feedback.submit(currentUser.id(), body.type(), body.message())).build();
    }

    @GET
    @Path("/feedback")
    @Authenticated
    @Operation(operationId = "listMyFeedback", summary = "My feedback, newest first, with the admins' answers")
    public List<FeedbackView> mine() {
        return feedback.mine(currentUser.id());
    }

    @GET
    @Path("/admin/feedback")
    @RolesAllowed("admin")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listFeedback", summary = "Everyone's feedback, newest first", description = "status: pending, reviewed or resolved.")
    public List<FeedbackView> all(@QueryParam("status") String status, @QueryParam("skip") @DefaultValue("0") int skip,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return feedback.all(status, skip, limit);
    }

    @PUT
    @Path("/admin/feedback/{id}")
    @RolesAllowed("admin")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "answerFeedback", summary = "Review or resolve feedback", description = "{status, admin_response}; "
            + "the author is notified (once per status and response).")
    public FeedbackView answer(@PathParam("id") UUID id, @NotNull(message = "a JSON body is required") Answer body) {
        return feedback.answer(id, body.status(), body.adminResponse());
    }
}
