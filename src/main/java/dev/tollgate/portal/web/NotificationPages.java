package dev.tollgate.portal.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.accounts.UserView;
import dev.tollgate.notifications.NotificationPreferences;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.notifications.Notifications.NotificationView;
import dev.tollgate.notifications.Webhooks;
import dev.tollgate.platform.ProblemException;
import io.quarkus.qute.TemplateInstance;

/**
 * The notification pages: the history ({@code /notifications}: filters, paging, mark read), the settings
 * ({@code /notifications/settings}: channels per event type, webhook endpoints, a test notification) and the unread
 * count that {@code static/notify.js} reads after live notifications. The live stream itself is
 * {@link NotificationStream}.
 */
@Path("/notifications")
@PortalPage
@Produces("text/html")
class NotificationPages {

    static final int PAGE_SIZE = 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** The types offered in the history's filter: the events, and what users send themselves. */
    static final List<Option> FILTER_TYPES;

    static {
        List<String> types = new ArrayList<>(NotificationPreferences.EVENT_TYPES);
        types.add("info");
        FILTER_TYPES = types.stream().map(t -> new Option(t, label(t))).toList();
    }

    /** A choice in a select. */
    record Option(String value, String label) {
    }

    private final Pages pages;
    private final Notifications notifications;
    private final NotificationPreferences preferences;
    private final Webhooks webhooks;

    NotificationPages(Pages pages, Notifications notifications, NotificationPreferences preferences,
            Webhooks webhooks) {
        this.pages = pages;
        this.notifications = notifications;
        this.preferences = preferences;
        this.webhooks = webhooks;
    }

    /** One notification as the history shows it. */
    record Row(String id, String title, String message, String type, String typeLabel, boolean read, String time,
            String isoTime, String link, String apiPath) {
    }

    /** The history's filter and page, and the links to the pages around it. */
    record Filter(boolean unreadOnly, String type, int page, String previous, String next, String here) {
    }

    @GET
    public Response history(@RestQuery String unread, @RestQuery String type, @RestQuery Integer page) {
        UserView me = pages.user();
        boolean unreadOnly = "1".equals(unread) || "true".equals(unread) || "on".equals(unread);
        String chosenType = type == null || type.isBlank() ? null : type.trim();
        if (chosenType != null && !Notifications.TYPE.matcher(chosenType).matches()) {
            throw ProblemException.invalid("type", "is not a notification type");
        }
        int number = page == null || page < 1 ? 1 : Math.min(page, 10_000);
        List<NotificationView> found = notifications.history(me.id(), unreadOnly, chosenType,
                (number - 1) * PAGE_SIZE, PAGE_SIZE + 1);
        List<Row> rows = found.stream().limit(PAGE_SIZE).map(NotificationPages::row).toList();
        Filter filter = new Filter(unreadOnly, chosenType, number,
                number > 1 ? historyPath(unreadOnly, chosenType, number - 1) : null,
                found.size() > PAGE_SIZE ? historyPath(unreadOnly, chosenType, number + 1) : null,
                historyPath(unreadOnly, chosenType, number));
        return pages.html("notifications", "rows", rows, "filter", filter, "types", FILTER_TYPES);
    }

    /** The unread count, for the bell after a live notification ({@code static/notify.js}). */
    @GET
    @Path("unread")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Long> unread() {
        return Map.of("unread_count", notifications.unreadCount(pages.user().id()));
    }

    /** Marks one read: htmx gets the row again and the bell (out of band); a plain form goes back to the list. */
    @POST
    @Path("{id}/read")
    public Response read(@RestPath String id, @RestForm String back) {
        UserView me = pages.user();
        NotificationView read = notifications.read(me.id(), uuid(id));
        if (pages.htmx()) {
            return pages.html(pages.template("_notification").data("n", row(read)).data("oob", true));
        }
        return pages.redirect(back(back), null);
    }

    @POST
    @Path("read-all")
    public Response readAll(@RestForm String back) {
        int marked = notifications.markAllRead(pages.user().id());
        return pages.redirect(back(back), marked == 0
                ? "There was nothing unread."
                : "Marked " + marked + (marked == 1 ? " notification" : " notifications") + " read.");
    }

    // --- settings -----------------------------------------------------------------------------------------------

    /** One event type's channels, as the settings form shows them. */
    record ChannelRow(String type, String label, boolean inApp, boolean email, boolean webhook) {
    }

    /** What was typed into the webhook form, shown again with its error. */
    record WebhookForm(String url, List<String> events, String description) {
        public boolean all() {
            return events.isEmpty() || events.contains(Webhooks.ALL_EVENTS);
        }
    }

    /** An endpoint in the list (never its secret). */
    record WebhookRow(String id, String url, String events, String description, String status,
            String disabledReason, long pending, String created) {
    }

    /** A new endpoint and its secret, shown on the page that answers the form, this once. */
    record NewWebhook(String url, String secret) {
    }

    @GET
    @Path("settings")
    public Response settings() {
        UserView me = pages.user();
        return pages.html(settingsPage(me, null, null, null));
    }

    @POST
    @Path("settings/preferences")
    public Response savePreferences(@RestForm("in_app") List<String> inApp, @RestForm List<String> email,
            @RestForm List<String> webhook) {
        UserView me = pages.user();
        Map<String, NotificationPreferences.ChannelsChange> changes = new LinkedHashMap<>();
        for (String type : NotificationPreferences.EVENT_TYPES) {
            changes.put(type, new NotificationPreferences.ChannelsChange(checked(inApp, type),
                    checked(email, type), checked(webhook, type)));
        }
        preferences.update(me.id(), changes);
        return pages.redirect("/notifications/settings", "Your notification settings are saved.");
    }

    @POST
    @Path("settings/webhooks")
    public Response addWebhook(@RestForm String url, @RestForm List<String> events, @RestForm String description) {
        UserView me = pages.user();
        WebhookForm typed = new WebhookForm(url == null ? "" : url.trim(),
                (events == null ? List.<String>of() : events).stream().filter(e -> e != null && !e.isBlank()).toList(),
                description == null || description.isBlank() ? null : description.trim());
        try {
            if (typed.url().isEmpty()) {
                throw ProblemException.invalid("url", "enter the URL that should receive the notifications");
            }
            Webhooks.CreatedWebhook created = webhooks.create(me.id(), typed.url(),
                    typed.all() ? List.of(Webhooks.ALL_EVENTS) : typed.events(), typed.description());
            return pages.html(201, settingsPage(me, null, null, new NewWebhook(created.url(), created.secret()))
                    .render());
        } catch (ProblemException e) {
            return pages.html(e.status(),
                    settingsPage(me, typed, "The webhook was not added: " + e.detail(), null).render());
        }
    }

    @POST
    @Path("settings/webhooks/{id}/delete")
    public Response deleteWebhook(@RestPath String id) {
        webhooks.delete(pages.user().id(), uuid(id));
        return pages.redirect("/notifications/settings", "The webhook endpoint is deleted.");
    }

    @POST
    @Path("settings/webhooks/{id}/enable")
    public Response enableWebhook(@RestPath String id) {
        webhooks.enable(pages.user().id(), uuid(id));
        return pages.redirect("/notifications/settings", "The webhook endpoint is enabled again.");
    }

    /**
     * Sends the user a notification of type {@code info}, as {@code POST /api/v1/notify/send} does for oneself: it
     * shows in the history and the bell and goes to the webhooks that take all events (never by e-mail).
     */
    @POST
    @Path("settings/test")
    public Response sendTest() {
        UserView me = pages.user();
        notifications.send(me.id(), false, "info", "Test notification",
                "This is the test you asked for on the notification settings page.", "/notifications", null);
        return pages.redirect("/notifications/settings", "A test notification is sent: it is in your history, and "
                + "on its way to your webhooks that take all events.");
    }

    private TemplateInstance settingsPage(UserView me, WebhookForm form, String webhookError, NewWebhook created) {
        NotificationPreferences.View view = preferences.view(me.id());
        List<ChannelRow> channels = view.preferences().entrySet().stream().map(e -> new ChannelRow(e.getKey(),
                label(e.getKey()), e.getValue().inApp(), e.getValue().email(), e.getValue().webhook())).toList();
        List<WebhookRow> endpoints = webhooks.list(me.id()).stream().map(w -> new WebhookRow(w.id().toString(),
                w.url(), w.events().contains(Webhooks.ALL_EVENTS)
                        ? "All events"
                        : String.join(", ", w.events().stream().map(NotificationPages::label).toList()),
                w.description(), w.status(), w.disabledReason(), w.pendingDeliveries(), time(w.createdAt())))
                .toList();
        return pages.template("notification_settings").data("channels", channels)
                .data("emailAvailable", view.emailAvailable()).data("webhooks", endpoints)
                .data("form", form != null ? form : new WebhookForm("", List.of(), null))
                .data("webhookError", webhookError).data("created", created)
                .data("eventTypes", NotificationPreferences.EVENT_TYPES.stream()
                        .map(t -> new ChannelRow(t, label(t), false, false, false)).toList());
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    static Row row(NotificationView n) {
        String url = n.actionUrl();
        String link = null;
        String apiPath = null;
        if ("/api/v1/feedback".equals(url)) {
            link = "/feedback"; // the feedback page shows the answer
        } else if (url != null && (url.startsWith("/api/") || url.equals("/api"))) {
            apiPath = url; // a JSON API resource: not a page to open, named for API clients
        } else {
            link = safeLink(url);
        }
        return new Row(n.id().toString(), n.title(), n.message(), n.notificationType(), label(n.notificationType()),
                n.read(), time(n.createdAt()), n.createdAt().toString(), link, apiPath);
    }

    /** A link only to a path of this site or an http(s) URL: never {@code javascript:}, {@code data:} and the like. */
    static String safeLink(String url) {
        if (url == null || url.isBlank() || url.length() > 2000) {
            return null;
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("/")) {
            return trimmed.startsWith("//") || trimmed.startsWith("/\\") ? null : trimmed;
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null
                    ? trimmed
                    : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** {@code new_subscriber} → {@code New subscriber}. */
    static String label(String type) {
        if (type == null || type.isEmpty()) {
            return "";
        }
        String words = type.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    private static String historyPath(boolean unreadOnly, String type, int page) {
        List<String> query = new ArrayList<>();
        if (unreadOnly) {
            query.add("unread=1");
        }
        if (type != null) {
            query.add("type=" + URLEncoder.encode(type, StandardCharsets.UTF_8));
        }
        if (page > 1) {
            query.add("page=" + page);
        }
        return "/notifications" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /** Back to the history page the form was on, never elsewhere. */
    private static String back(String back) {
        String path = SignInPages.safeNext(back);
        return path.equals("/notifications") || path.startsWith("/notifications?") ? path : "/notifications";
    }

    private static boolean checked(List<String> boxes, String type) {
        return boxes != null && boxes.contains(type);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No such notification or endpoint.");
        }
    }
}
