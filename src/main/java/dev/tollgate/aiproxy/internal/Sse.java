package dev.tollgate.aiproxy.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;

/**
 * Server-Sent Events as OpenAI and Anthropic stream them: parsed incrementally from the bytes as they arrive (an
 * event may be split over any number of chunks, a chunk may hold several events) and written back in the same form.
 */
final class Sse {

    private Sse() {
    }

    /**
     * One event: its {@code event} field (null when absent, as in OpenAI's streams) and its {@code data} (lines
     * joined by '\n').
     */
    record Event(String event, String data) {

        static Event data(String data) {
            return new Event(null, data);
        }

        /** The event in wire form, ending with its blank line. */
        Buffer encode() {
            StringBuilder out = new StringBuilder(data.length() + 32);
            if (event != null) {
                out.append("event: ").append(event).append('\n');
            }
            for (String line : data.split("\n", -1)) {
                out.append("data: ").append(line).append('\n');
            }
            return Buffer.buffer(out.append('\n').toString());
        }
    }

    /** Splits a byte stream into events. Not thread-safe: one per stream. */
    static final class Parser {
        private final StringBuilder pending = new StringBuilder();
        private byte[] partial = new byte[0];
        private String event;
        private StringBuilder data;

        /** Feeds the next chunk; returns the events it completed (often none or one). */
        List<Event> feed(Buffer chunk) {
            byte[] bytes = chunk.getBytes();
            if (partial.length > 0) {
                byte[] joined = new byte[partial.length + bytes.length];
                System.arraycopy(partial, 0, joined, 0, partial.length);
                System.arraycopy(bytes, 0, joined, partial.length, bytes.length);
                bytes = joined;
            }
            // keep an incomplete UTF-8 sequence at the end for the next chunk
            int complete = completeUtf8Length(bytes);
            partial = java.util.Arrays.copyOfRange(bytes, complete, bytes.length);
            pending.append(new String(bytes, 0, complete, StandardCharsets.UTF_8));
            List<Event> events = new ArrayList<>(2);
            int start = 0;
            for (int i = 0; i < pending.length(); i++) {
                char c = pending.charAt(i);
                if (c == '\n' || c == '\r') {
                    line(pending.substring(start, i), events);
                    if (c == '\r' && i + 1 < pending.length() && pending.charAt(i + 1) == '\n') {
                        i++;
                    }
                    start = i + 1;
                }
            }
            pending.delete(0, start);
            return events;
        }

        /** Ends the stream: an event not closed by a blank line still counts. */
        List<Event> end() {
            List<Event> events = new ArrayList<>(1);
            if (pending.length() > 0) {
                line(pending.toString(), events);
                pending.setLength(0);
            }
            line("", events);
            return events;
        }

        private void line(String line, List<Event> events) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(event, data.toString()));
                }
                event = null;
                data = null;
                return;
            }
            if (line.charAt(0) == ':') {
                return; // comment, e.g. a keep-alive
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
        }

        private static int completeUtf8Length(byte[] bytes) {
            int n = bytes.length;
            for (int back = 1; back <= 3 && n - back >= 0; back++) {
                int b = bytes[n - back] & 0xFF;
                if ((b & 0xC0) == 0x80) {
                    continue; // continuation byte: look further back for the lead
                }
                int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return length > back ? n - back : n;
            }
            return n;
        }
    }
}
