package dev.tollgate.notifications.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tollgate.accounts.Authentication;
import dev.tollgate.accounts.UserView;
import dev.tollgate.notifications.NotificationsConfig;
import dev.tollgate.notifications.WebSocketLive;
import dev.tollgate.notifications.internal.LivePush;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

/**
 * {@code /api/v1/notify/stream}: each new notification of the signed-in user, pushed as it is written on any node.
 * <p>
 * The access token comes in the {@code Authorization: Bearer} header of the upgrade request, or — for browsers, which
 * cannot set it — in the first message, {@code {"type": "auth", "token": "…"}}, within {@code auth-timeout}. Neither
 * is ever logged. {@code since} (in the query or the auth message) replays what came after a reconnecting client's
 * last notification. Messages sent: {@code ready}, {@code notification}, {@code heartbeat}, {@code pong} and
 * {@code error} (then the connection closes with 1008).
 */
@WebSocket(path = "/api/v1/notify/stream")
public class NotifyStream {

    private static final Logger LOG = Logger.getLogger(NotifyStream.class);

    private final LivePush push;
    private final Authentication authentication;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final long authTimeoutMillis;
    /** Connections whose token was accepted. */
    private final Set<String> authenticated = ConcurrentHashMap.newKeySet();
    /** The timers that close connections not authenticated in time. */
    private final Map<String, Long> timers = new ConcurrentHashMap<>();

    NotifyStream(LivePush push, Authentication authentication, ObjectMapper json, Vertx vertx,
            NotificationsConfig config) {
        this.push = push;
        this.authentication = authentication;
        this.json = json;
        this.vertx = vertx;
        this.authTimeoutMillis = config.authTimeout().toMillis();
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        String header = connection.handshakeRequest().header("Authorization");
        Instant since;
        try {
            since = since(WebSocketLive.queryParam(connection, "since"));
        } catch (DateTimeParseException e) {
            WebSocketLive.refuse(connection, "since must be an ISO-8601 instant such as 2026-12-04T10:00:00Z");
            return;
        }
        if (header != null) {
            authenticate(connection, header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).trim()
                    : "", since);
            return;
        }
        long timer = vertx.setTimer(authTimeoutMillis, id -> {
            timers.remove(connection.id());
            if (!authenticated.contains(connection.id())) {
                WebSocketLive.refuse(connection,
                        "No access token within " + authTimeoutMillis / 1000 + " s: send {\"type\": "
                                + "\"auth\", \"token\": \"<access token>\"} first, or the Authorization header.");
            }
        });
        timers.put(connection.id(), timer);
    }

    /**
     * Without the header, the first message must be the token (it may even be handled before {@link #open} ran);
     * afterwards only {@code ping} is answered.
     */
    @OnTextMessage
    public void message(WebSocketConnection connection, String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            message = null;
        }
        String type = message == null ? "" : message.path("type").asText("");
        boolean byHeader = connection.handshakeRequest().header("Authorization") != null;
        if (!byHeader && !authenticated.contains(connection.id())) {
            if (!"auth".equals(type) || !message.path("token").isTextual()) {
                WebSocketLive.refuse(connection,
                        "The first message must be {\"type\": \"auth\", \"token\": \"<access token>\"}.");
                return;
            }
            try {
                authenticate(connection, message.path("token").asText(),
                        since(message.path("since").isTextual() ? message.path("since").asText() : null));
            } catch (DateTimeParseException e) {
                WebSocketLive.refuse(connection, "since must be an ISO-8601 instant such as 2026-12-04T10:00:00Z");
            }
            return;
        }
        if ("ping".equals(type)) {
            WebSocketLive.pong(connection);
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        Long timer = timers.remove(connection.id());
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        authenticated.remove(connection.id());
        push.remove(connection.id());
    }

    private void authenticate(WebSocketConnection connection, String token, Instant since) {
        Optional<UserView> user = token.isEmpty() ? Optional.empty() : authentication.userOfAccessToken(token);
        if (user.isEmpty()) {
            WebSocketLive.refuse(connection, "The access token is not valid, has expired, or its login has ended.");
            return;
        }
        authenticated.add(connection.id());
        push.add(new Live(connection, token), user.get().id(), since);
        if (!connection.isOpen()) {
            authenticated.remove(connection.id());
            push.remove(connection.id());
        }
        LOG.debugf("Live notifications connected for user %s (connection %s)", user.get().id(), connection.id());
    }

    private static Instant since(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value);
    }

    /** A connection as the live push sends to it, authorized while its access token holds. */
    private final class Live extends WebSocketLive {
        private final String token;

        Live(WebSocketConnection connection, String token) {
            super(connection);
            this.token = token;
        }

        @Override
        public boolean authorized() {
            return authentication.userOfAccessToken(token).isPresent();
        }
    }
}
