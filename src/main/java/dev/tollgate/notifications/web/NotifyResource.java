package dev.tollgate.notifications.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import dev.tollgate.accounts.Role;
import dev.tollgate.notifications.NotificationPreferences;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.notifications.Notifications.NotificationView;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/notify")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "notifications", description = "In-app notifications and feedback")
public class NotifyResource {

    private final Notifications notifications;
    private final NotificationPreferences preferences;
    private final CurrentUser currentUser;

    NotifyResource(Notifications notifications, NotificationPreferences preferences, CurrentUser currentUser) {
        this.notifications = notifications;
        this.preferences = preferences;
        this.currentUser = currentUser;
    }

    /** {@code user_id}: admins only, another user; {@code to_all}: admins only, every user. */
    public record SendRequest(String title, String message, String notificationType, String actionUrl,
            Map<String, Object> metadata, UUID userId, Boolean toAll) {
    }

    public record Sent(int sent) {
    }

    public record Marked(int marked) {
    }

    public record UnreadCount(long unreadCount) {
    }

    @GET
    @Path("/history")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "notificationHistory", summary = "My notifications, newest first", description = "unread_only and type narrow them; limit 1 to 200 (default 50).")
    public List<NotificationView> history(@QueryParam("unread_only") @DefaultValue("false") boolean unreadOnly,
            @QueryParam("type") String type, @QueryParam("skip") @DefaultValue("0") int skip,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return notifications.history(currentUser.id(), unreadOnly, type, skip, limit);
    }

    @POST
    @Path("/{id}/read")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "readNotification", summary = "Mark one of my notifications read")
    public NotificationView read(@PathParam("id") UUID id) {
        return notifications.read(currentUser.id(), id);
    }

    @POST
    @Path("/mark-all-read")
    @Operation(operationId = "markAllNotificationsRead", summary = "Mark all my notifications read")
    public Marked markAllRead() {
        return new Marked(notifications.markAllRead(currentUser.id()));
    }

    @GET
    @Path("/unread-count")
    @Operation(operationId = "unreadNotificationCount", summary = "How many of my notifications are unread")
    public UnreadCount unreadCount() {
        return new UnreadCount(notifications.unreadCount(currentUser.id()));
    }

    @POST
    @Path("/send")
    @APIResponse(responseCode = "201", description = "How many notifications were written")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "sendNotification", summary = "Send a notification", description = "To myself (type info "
            + "by default, never e-mailed); admins also to another user (user_id, in the body or the query) or to every "
            + "user (to_all: true), type broadcast by default.")
    public Response send(@NotNull(message = "a JSON body is required") SendRequest body,
            @QueryParam("user_id") UUID userIdParam) {
        UUID target = body.userId() != null ? body.userId() : userIdParam;
        boolean admin = currentUser.has(Role.ADMIN);
        boolean toAll = Boolean.TRUE.equals(body.toAll());
        if (!admin && (toAll || (target != null && !target.equals(currentUser.id())))) {
            throw ProblemException.forbidden("Only admins send notifications to other users.");
        }
        if (toAll && target != null) {
            throw ProblemException.invalid("to_all", "cannot be combined with user_id");
        }
        int sent = notifications.send(toAll ? null : target != null ? target : currentUser.id(), admin,
                body.notificationType(), body.title(), body.message(), body.actionUrl(), body.metadata());
        return Response.status(201).entity(new Sent(sent)).build();
    }

    @GET
    @Path("/preferences")
    @Operation(operationId = "notificationPreferences", summary = "My notification preferences", description = "Per "
            + "event type, whether it shows in the app, is e-mailed and goes to my webhooks; email_available says "
            + "whether this server sends e-mail at all.")
    public NotificationPreferences.View preferences() {
        return preferences.view(currentUser.id());
    }

    @PUT
    @Path("/preferences")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "updateNotificationPreferences", summary = "Change my notification preferences", description = "A JSON object from event type to the channels to change, e.g. {\"new_review\": "
            + "{\"email\": false}}; channels not named stay as they are.")
    public NotificationPreferences.View updatePreferences(
            @NotNull(message = "a JSON body is required") Map<String, NotificationPreferences.ChannelsChange> body) {
        return preferences.update(currentUser.id(), body);
    }
}
