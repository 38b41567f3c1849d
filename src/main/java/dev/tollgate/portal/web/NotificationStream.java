package dev.tollgate.portal.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.WebSessions;
import dev.tollgate.notifications.LiveNotifications;
import dev.tollgate.notifications.WebSocketLive;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * {@code /notifications/stream}: the portal's live notifications (the header's bell, {@code static/notify.js}). The
 * same push and messages as {@code /api/v1/notify/stream} ({@code ready}, {@code notification}, {@code heartbeat},
 * {@code pong}, {@code error}), but the browser is identified by its portal sign-in cookie on the upgrade request,
 * admitted by {@link NotificationStreamCheck} (same origin, signed in). {@code ?since=} replays what came after a
 * reconnecting page's last notification. At every heartbeat the sign-in is checked again; once it has ended the
 * connection gets an {@code error} and is closed with 1008.
 */
@WebSocket(path = "/notifications/stream", endpointId = NotificationStream.ID)
class NotificationStream {

    static final String ID = "portal-notification-stream";

    private final LiveNotifications live;
    private final WebSessions sessions;
    private final ObjectMapper json;

    NotificationStream(LiveNotifications live, WebSessions sessions, ObjectMapper json) {
        this.live = live;
        this.sessions = sessions;
        this.json = json;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        String userId = connection.userData().get(NotificationStreamCheck.USER_ID);
        String token = connection.userData().get(NotificationStreamCheck.SESSION_TOKEN);
        Instant since;
        try {
            since = since(WebSocketLive.queryParam(connection, "since"));
        } catch (DateTimeParseException e) {
            WebSocketLive.refuse(connection, "since must be an ISO-8601 instant such as 2026-12-04T10:00:00Z");
            return;
        }
        if (userId == null || token == null) { // the upgrade check admits none without both
            WebSocketLive.refuse(connection, "Sign in to get live notifications.");
            return;
        }
        live.connect(new Live(connection, token), UUID.fromString(userId), since);
        if (!connection.isOpen()) {
            live.disconnect(connection.id());
        }
    }

    /** Only {@code ping} is answered; the browser has nothing else to say. */
    @OnTextMessage
    public void message(WebSocketConnection connection, String text) {
        String type;
        try {
            type = json.readTree(text).path("type").asText("");
        } catch (Exception e) {
            type = "";
        }
        if ("ping".equals(type)) {
            WebSocketLive.pong(connection);
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        live.disconnect(connection.id());
    }

    private static Instant since(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value);
    }

    /** A browser's connection, authorized while its portal sign-in lasts. */
    private final class Live extends WebSocketLive {
        private final String sessionToken;

        Live(WebSocketConnection connection, String sessionToken) {
            super(connection);
            this.sessionToken = sessionToken;
        }

        @Override
        public boolean authorized() {
            return sessions.active(sessionToken).isPresent();
        }

        @Override
        public void refuse(String detail) {
            super.refuse("Your sign-in has ended; sign in again.");
        }
    }
}
