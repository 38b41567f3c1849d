package dev.tollgate.notifications;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * A {@link LiveConnection} over a websockets-next connection, for the stream endpoints (the API's and the portal's):
 * sends without waiting, drops what a closed connection cannot take, refuses with an {@code error} message and close
 * code 1008. Subclasses say whether their credential still holds.
 */
public abstract class WebSocketLive implements LiveConnection {

    private static final Logger LOG = Logger.getLogger(WebSocketLive.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int POLICY_VIOLATION = 1008;

    protected final WebSocketConnection connection;

    protected WebSocketLive(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public void send(String text) {
        if (connection.isOpen()) {
            connection.sendText(text).subscribe().with(ok -> {
            }, failure -> LOG.debugf("A live notification to connection %s was lost: %s", connection.id(),
                    failure.getMessage()));
        }
    }

    @Override
    public boolean open() {
        return connection.isOpen();
    }

    @Override
    public void refuse(String detail) {
        refuse(connection, detail);
    }

    /** Sends {@code {"type": "error", "detail": …}} and closes the connection with 1008. */
    public static void refuse(WebSocketConnection connection, String detail) {
        String error;
        try {
            error = JSON.writeValueAsString(Map.of("type", "error", "detail", detail));
        } catch (JsonProcessingException e) {
            error = "{\"type\":\"error\"}";
        }
        connection.sendText(error).chain(() -> connection.close(new CloseReason(POLICY_VIOLATION, "unauthorized")))
                .subscribe().with(ok -> {
                }, failure -> {
                });
    }

    /** Answers {@code ping} with {@code pong}. */
    public static void pong(WebSocketConnection connection) {
        connection.sendText("{\"type\":\"pong\"}").subscribe().with(ok -> {
        }, failure -> {
        });
    }

    /** One parameter of the upgrade request's query, decoded; null when absent. */
    public static String queryParam(WebSocketConnection connection, String name) {
        String query = connection.handshakeRequest().query();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
