package dev.tollgate.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Server-Sent Events written by blocking resources (a {@code StreamingOutput}): one named event with JSON data. */
public final class SseEvents {

    private SseEvents() {
    }

    /** Writes and flushes {@code event: name / data: json}; false when the client has gone. */
    public static boolean write(OutputStream out, ObjectMapper json, String event, Object data) {
        try {
            out.write(("event: " + event + "\ndata: " + json.writeValueAsString(data) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            return false;
        }
    }
}
