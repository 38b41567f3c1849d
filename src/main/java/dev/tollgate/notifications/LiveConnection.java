package dev.tollgate.notifications;

/**
 * One open live connection of a user (a WebSocket of the API's stream or of the portal), as the live push sends to
 * it. Implementations send without waiting and drop what a closed connection cannot take.
 */
public interface LiveConnection {

    /** Unique among this node's open connections. */
    String id();

    /** Sends one text frame (a JSON message). */
    void send(String text);

    /** Whether its credential (access token, portal sign-in) still speaks for the user. */
    boolean authorized();

    /** Whether it is still open. */
    boolean open();

    /** Tells the client why and closes the connection. */
    void refuse(String detail);
}
