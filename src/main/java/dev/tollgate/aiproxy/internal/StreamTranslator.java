package dev.tollgate.aiproxy.internal;

import java.util.List;

/**
 * Translates one streamed answer from the upstream's SSE format into the caller's, event by event, as the events
 * arrive (nothing is buffered beyond the current event). Stateful and not thread-safe: one per stream, fed from one
 * event loop.
 */
interface StreamTranslator {

    /** The caller-format events for one upstream event (often one, sometimes none or several). */
    List<Sse.Event> accept(Sse.Event upstream);

    /**
     * Called once when the upstream stream ended ({@code complete = true}) or broke off ({@code false}): the closing
     * events of the caller's format that were not sent yet. A stream that ended without its format's own end (OpenAI
     * {@code [DONE]} or a finish reason, Anthropic {@code message_stop}) counts as broken off: the caller then gets an
     * error event of its format, which the SDKs raise as an exception instead of taking a cut-off answer as whole.
     */
    List<Sse.Event> end(boolean complete);

    /** The upstream's token counts seen so far (input from the start of the stream, output as it grows); null if none. */
    TokenUsage usage();
}
