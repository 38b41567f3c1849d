package dev.tollgate.portal.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.WebSessions;
import dev.tollgate.notifications.LiveConnection;
import dev.tollgate.notifications.LiveNotifications;
import io.quarkus.websockets.next.CloseReason;
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
    private static final Logger LOG = Logger.getLogger(NotificationStream.class);
    private static final int POLICY_VIOLATION = 1008;

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
            since = since(connection.handshakeRequest().query());
        } catch (DateTimeParseException e) {
            refuse(connection, "since must be an ISO-8601 instant such as 2026-12-04T10:00:00Z");
            return;
        }
        if (userId == null || token == null) { // the upgrade check admits none without both
            refuse(connection, "Sign in to get live notifications.");
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
            connection.sendText("{\"type\":\"pong\"}").subscribe().with(ok -> {
            }, failure -> {
            });
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        live.disconnect(connection.id());
    }

    private void refuse(WebSocketConnection connection, String detail) {
        String error;
        try {
            error = json.writeValueAsString(Map.of("type", "error", "detail", detail));
        } catch (Exception e) {
            error = "{\"type\":\"error\"}";
        }
        connection.sendText(error).chain(() -> connection.close(new CloseReason(POLICY_VIOLATION, "unauthorized")))
                .subscribe().with(ok -> {
                }, failure -> {
                });
    }

    private static Instant since(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("since=") && pair.length() > 6) {
                return Instant.parse(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        return null;
    }

    /** A browser's connection: sends without waiting; lasts as long as its portal sign-in. */
    private final class Live implements LiveConnection {
        private final WebSocketConnection connection;
        private final String sessionToken;

        Live(WebSocketConnection connection, String sessionToken) {
            this.connection = connection;
            this.sessionToken = sessionToken;
        }

        @Override
        public String id() {
            return connection.id();
        }

        @Override
        public void send(String text) {
            if (connection.isOpen()) {
                connection.sendText(text).subscribe().with(ok -> {
                }, failure -> LOG.debugf("A live notification to portal connection %s was lost: %s",
                        connection.id(), failure.getMessage()));
            }
        }

        @Override
        public boolean authorized() {
            return sessions.active(sessionToken).isPresent();
        }

        @Override
        public boolean open() {
            return connection.isOpen();
        }

        @Override
        public void refuse(String detail) {
            NotificationStream.this.refuse(connection, "Your sign-in has ended; sign in again.");
        }
    }
}
