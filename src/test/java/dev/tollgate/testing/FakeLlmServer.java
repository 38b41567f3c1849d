package dev.tollgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * What {@link FakeOpenAi} and {@link FakeAnthropic} share: a JDK HTTP server on 127.0.0.1, the script of what the
 * "model" answers, the record of the requests received, and the Server-Sent-Events writer with its failure modes.
 * <p>
 * Scripting: {@link #always(Reply)} sets the answer to every call; {@link #next(Reply)} queues one-shot answers that
 * are used first, in order (e.g. "fail once, then answer", or generated code: broken, then fixed — {@code
 * fake.next(Reply.text("export default {...broken...}")); fake.next(Reply.text("export default {...fixed...}"))});
 * {@link #replying(Function)} answers from the request itself when no queued answer is left (e.g. by what the last
 * user message asks; {@link Received#body()} is the vendor-format JSON), falling back to {@link #always} when it
 * returns null. A reply's text is streamed in word-sized deltas when the call asks for a stream, else sent whole.
 * Only requests that pass the vendor's own checks (key, version header, known model, required fields) consume a
 * reply. Every request is recorded and counted, whatever its fate ({@link #received()}, {@link #last()}).
 * <p>
 * Threading: the server answers on its own pool; the script and the record may be read and changed from any thread.
 */
public abstract class FakeLlmServer implements AutoCloseable {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the fake received it: lower-case header names, the body parsed as JSON (missing if not). */
    public record Received(String method, String path, Map<String, List<String>> headers, JsonNode body) {

        /** The first value of a header (any case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** A function call the model makes; {@code arguments} is the JSON text of its input object. */
    public record ToolCall(String id, String name, String arguments) {
    }

    /** How a call fails instead of answering. */
    public sealed interface Failure permits Status, CloseMidStream, Hang {
    }

    /**
     * Answer with this status and the vendor's error body; a null {@code type} or {@code message} takes the vendor's
     * usual one for the status.
     */
    public record Status(int status, String type, String message) implements Failure {
    }

    /**
     * Start answering, then drop the connection after {@code afterEvents} stream events (for a non-streaming call:
     * after half the body), without the stream's terminator.
     */
    public record CloseMidStream(int afterEvents) implements Failure {
    }

    /** Accept the request and never answer (until the fake is closed). */
    public record Hang() implements Failure {
    }

    /**
     * What the model answers to one call. Token counts are written verbatim into the vendor's usage fields (OpenAI:
     * prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens; Anthropic: input_tokens, output_tokens,
     * cache_read_input_tokens, cache_creation_input_tokens), so a test knows exactly what the vendor reported.
     * {@code stopReason} null means the vendor's natural one (stop/end_turn, or tool_calls/tool_use with a tool call).
     */
    public record Reply(String text, ToolCall toolCall, long inputTokens, long outputTokens, long cachedTokens,
            long cacheCreationTokens, String stopReason, Duration firstByteDelay, Duration eventDelay,
            Failure failure) {

        /** A text answer with 10 input and 5 output tokens, no delays. */
        public static Reply text(String text) {
            return new Reply(text, null, 10, 5, 0, 0, null, Duration.ZERO, Duration.ZERO, null);
        }

        /** An answer that is only a call of the tool {@code name} with the JSON {@code arguments}. */
        public static Reply toolCall(String id, String name, String arguments) {
            return text("").withToolCall(id, name, arguments);
        }

        public static Reply failing(int status) {
            return failing(status, null, null);
        }

        public static Reply failing(int status, String type, String message) {
            return text("").failingWith(new Status(status, type, message));
        }

        public static Reply closingAfter(int events, String text) {
            return text(text).failingWith(new CloseMidStream(events));
        }

        public static Reply hanging() {
            return text("").failingWith(new Hang());
        }

        public Reply withToolCall(String id, String name, String arguments) {
            return new Reply(text, new ToolCall(id, name, arguments), inputTokens, outputTokens, cachedTokens,
                    cacheCreationTokens, stopReason, firstByteDelay, eventDelay, failure);
        }

        public Reply tokens(long input, long output) {
            return new Reply(text, toolCall, input, output, cachedTokens, cacheCreationTokens, stopReason,
                    firstByteDelay, eventDelay, failure);
        }

        /** Tokens read from the prompt cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
        public Reply cached(long cacheRead) {
            return new Reply(text, toolCall, inputTokens, outputTokens, cacheRead, cacheCreationTokens, stopReason,
                    firstByteDelay, eventDelay, failure);
        }

        /** Tokens written to the prompt cache (Anthropic only). */
        public Reply cacheCreation(long tokens) {
            return new Reply(text, toolCall, inputTokens, outputTokens, cachedTokens, tokens, stopReason,
                    firstByteDelay, eventDelay, failure);
        }

        /** The vendor's own stop value, e.g. "length" (OpenAI) or "max_tokens" (Anthropic). */
        public Reply stopReason(String vendorValue) {
            return new Reply(text, toolCall, inputTokens, outputTokens, cachedTokens, cacheCreationTokens,
                    vendorValue, firstByteDelay, eventDelay, failure);
        }

        /** Wait this long before the status line. */
        public Reply firstByteDelay(Duration delay) {
            return new Reply(text, toolCall, inputTokens, outputTokens, cachedTokens, cacheCreationTokens,
                    stopReason, delay, eventDelay, failure);
        }

        /** Wait this long between two stream events. */
        public Reply eventDelay(Duration delay) {
            return new Reply(text, toolCall, inputTokens, outputTokens, cachedTokens, cacheCreationTokens,
                    stopReason, firstByteDelay, delay, failure);
        }

        public Reply failingWith(Failure failure) {
            return new Reply(text, toolCall, inputTokens, outputTokens, cachedTokens, cacheCreationTokens,
                    stopReason, firstByteDelay, eventDelay, failure);
        }

        boolean hasText() {
            return text != null && !text.isEmpty();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-llm");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> queued = new ConcurrentLinkedQueue<>();
    private volatile Reply always = Reply.text("Hello from the fake model.");
    private volatile Function<Received, Reply> replier;
    /** The request being answered on this thread, for {@link #replier}. */
    private final ThreadLocal<Received> current = new ThreadLocal<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int pauseAfter = -1;
    private volatile CountDownLatch paused = new CountDownLatch(1);
    private volatile CountDownLatch resumed = new CountDownLatch(1);

    protected FakeLlmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(executor);
        server.createContext("/", this::receive);
        server.start();
    }

    /** {@code http://127.0.0.1:port}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every call from now on gets this reply (after the queued ones). */
    public void always(Reply reply) {
        always = reply;
    }

    /** The next call gets this reply (queued one-shot replies are used in order before {@link #always}). */
    public void next(Reply reply) {
        queued.add(reply);
    }

    /**
     * Once the queued replies are used up, each call gets {@code replier}'s reply to it (null from it: the
     * {@link #always} reply); {@code null} turns this off. The function runs on the fake's threads.
     */
    public void replying(Function<Received, Reply> replier) {
        this.replier = replier;
    }

    /** Requests received so far, whatever their fate. */
    public int calls() {
        return calls.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The last request received (fails if none). */
    public Received last() {
        List<Received> all = received();
        if (all.isEmpty()) {
            throw new IllegalStateException("no request received");
        }
        return all.get(all.size() - 1);
    }

    /**
     * The next streams stop before sending their event number {@code events} (0-based: after {@code events} events
     * were flushed) until {@link #resume()}; {@link #awaitPaused()} tells when a stream got there. Lets a test observe
     * what a client received while the upstream is still mid-stream, without timing.
     */
    public void pauseAfter(int events) {
        paused = new CountDownLatch(1);
        resumed = new CountDownLatch(1);
        pauseAfter = events;
    }

    /** Waits (up to 10 s) until a stream reached the pause point; false if none did. */
    public boolean awaitPaused() throws InterruptedException {
        return paused.await(10, TimeUnit.SECONDS);
    }

    public void resume() {
        pauseAfter = -1;
        resumed.countDown();
    }

    /** Answers one recorded request; the subclass routes by path and speaks the vendor's protocol. */
    protected abstract void handle(HttpExchange exchange, Received request) throws IOException;

    /** The vendor's error body and headers for a failing status. */
    protected abstract void sendError(HttpExchange exchange, Status status) throws IOException;

    protected final Reply takeReply() {
        Reply reply = queued.poll();
        if (reply != null) {
            return reply;
        }
        Function<Received, Reply> function = replier;
        Reply replied = function == null ? null : function.apply(current.get());
        return replied != null ? replied : always;
    }

    private void receive(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        JsonNode body;
        try {
            body = raw.length == 0 ? MissingNode.getInstance() : JSON.readTree(raw);
        } catch (IOException e) {
            body = MissingNode.getInstance();
        }
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                body);
        received.add(request);
        current.set(request);
        // no finally: closing the exchange would finish a dropped response cleanly (see ConnectionDropped)
        handle(exchange, request);
        current.remove();
        exchange.close();
    }

    /**
     * Applies the reply's failure and first-byte delay. Returns false when the call was answered (a status) or
     * abandoned (a hang), true when the handler should answer normally.
     */
    protected final boolean beforeAnswer(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.failure() instanceof Hang) {
            awaitQuietly(closed, Duration.ofMinutes(5));
            throw new ConnectionDropped();
        }
        pause(reply.firstByteDelay());
        if (reply.failure() instanceof Status status) {
            sendError(exchange, status);
            return false;
        }
        return true;
    }

    /** Sends a JSON body, or half of it and then drops the connection when the reply says so. */
    protected final void sendJson(HttpExchange exchange, int status, String json, Reply reply) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        OutputStream out = exchange.getResponseBody();
        if (reply != null && reply.failure() instanceof CloseMidStream) {
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            throw new ConnectionDropped();
        }
        out.write(bytes);
        out.close();
    }

    /** Starts an SSE response: status 200, {@code text/event-stream}, chunked; each event is flushed on its own. */
    protected final EventStream startStream(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return new EventStream(exchange.getResponseBody(), reply);
    }

    /** Writes SSE events, applying the reply's event delay, the pause point and the mid-stream close. */
    protected final class EventStream {
        private final OutputStream out;
        private final Reply reply;
        private int sent;

        private EventStream(OutputStream out, Reply reply) {
            this.out = out;
            this.reply = reply;
        }

        /** One event: an optional {@code event:} line, one {@code data:} line, a blank line. */
        public void send(String event, String data) throws IOException {
            if (reply.failure() instanceof CloseMidStream close && sent == close.afterEvents()) {
                throw new ConnectionDropped();
            }
            if (sent > 0) {
                pause(reply.eventDelay());
            }
            if (sent == pauseAfter) {
                CountDownLatch resumeLatch = resumed;
                paused.countDown();
                awaitQuietly(resumeLatch, Duration.ofSeconds(30));
            }
            StringBuilder frame = new StringBuilder();
            if (event != null) {
                frame.append("event: ").append(event).append('\n');
            }
            frame.append("data: ").append(data).append("\n\n");
            out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            sent++;
        }

        public void end() throws IOException {
            out.close();
        }
    }

    /**
     * Thrown out of a handler to drop the connection: the JDK server then closes the socket without finishing the
     * response (no last chunk), which a client sees as an unexpected end of stream.
     */
    private static final class ConnectionDropped extends RuntimeException {
        ConnectionDropped() {
            super("connection dropped on purpose by the fake", null, false, false);
        }
    }

    /** Splits text into word-sized pieces, each but the first starting with its space, as models stream them. */
    protected static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    /** Splits JSON arguments into fragments of at most 8 characters, as vendors stream them. */
    protected static List<String> fragments(String json) {
        List<String> fragments = new ArrayList<>();
        for (int i = 0; i < json.length(); i += 8) {
            fragments.add(json.substring(i, Math.min(json.length(), i + 8)));
        }
        return fragments;
    }

    private static void pause(Duration duration) {
        if (!duration.isZero()) {
            awaitQuietly(new CountDownLatch(1), duration);
        }
    }

    private static void awaitQuietly(CountDownLatch latch, Duration max) {
        try {
            latch.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        resumed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
