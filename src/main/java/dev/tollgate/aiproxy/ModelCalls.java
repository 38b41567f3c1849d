package dev.tollgate.aiproxy;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * In-process calls to the AI proxy's models, for other features (the assistant, API generation): a conversation of
 * plain-text messages sent to any enabled model ({@link AiState#models()}), whichever vendor's protocol its channels
 * speak, and paid from a user's credit like a call through {@code /v1}.
 * <ul>
 * <li><b>Routing.</b> The model's channels are tried in the proxy's order (priority, then weight); a channel whose
 * circuit is open is skipped; on a connection failure, a timeout, 401/403, 429 or 5xx the next one is tried (for a
 * stream: only before its first delta). Outcomes count toward each channel's circuit breaker. Addresses follow the
 * proxy's SSRF rules.</li>
 * <li><b>Charging.</b> Before the call the worst case — the prompt's byte bound at the input price plus
 * {@code maxTokens} at the output price — is reserved from the payer's credit ({@link Failure.Kind#NOT_ENOUGH_CREDIT}
 * when it does not fit; nothing is sent then). When the call ends, the tokens the vendor reported (counted by Tollgate
 * when it reported none) are charged once, at the model's prices and at most the reservation, through the same
 * ledger path as AI proxy calls (the whole charge is platform revenue); the rest is given back. A call that failed is
 * not charged, except a stream broken off after deltas were delivered: it is charged for what was generated, as the
 * proxy does.</li>
 * <li><b>Threading.</b> Never blocks: the futures complete, and {@code onDelta} runs, on an event loop. Callers must
 * not block in {@code onDelta}; a control-plane caller may {@code join()} the future on a worker thread.</li>
 * </ul>
 */
public interface ModelCalls {

    /** Who speaks a message. A {@code SYSTEM} message may come first only. */
    enum Role {
        SYSTEM, USER, ASSISTANT
    }

    /** One message of the conversation, as plain text. */
    record Message(Role role, String text) {

        public Message {
            if (role == null || text == null) {
                throw new IllegalArgumentException("a message needs a role and a text");
            }
        }

        public static Message system(String text) {
            return new Message(Role.SYSTEM, text);
        }

        public static Message user(String text) {
            return new Message(Role.USER, text);
        }

        public static Message assistant(String text) {
            return new Message(Role.ASSISTANT, text);
        }
    }

    /**
     * A finished call: the answer's text, the tokens it used (input includes cached input), what the payer was charged
     * in micros, and the model's public name. {@code estimated} says the tokens were counted by Tollgate because the
     * vendor reported none.
     */
    record Completion(String text, long inputTokens, long outputTokens, long costMicros, String model,
            boolean estimated) {
    }

    /**
     * Why a call did not complete. {@link #status()} is the HTTP status a control-plane caller should answer with;
     * the message may be shown to the user (it never holds a channel's key).
     */
    final class Failure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** The kinds of failure, each with its suggested HTTP status. */
        public enum Kind {
            /** No enabled model has that name (503: the platform's configuration names a model that is not there). */
            UNKNOWN_MODEL(503),
            /** The payer's credit does not cover the call's worst case. */
            NOT_ENOUGH_CREDIT(402),
            /** The credit could not be checked (database down). */
            CREDIT_UNAVAILABLE(503),
            /** The vendor refused the call itself (400, 404, 413, 422 ...): retrying elsewhere would not help. */
            REFUSED(422),
            /** Every channel failed, or the answer could not be read. */
            UPSTREAM_FAILED(502),
            /** The last channel tried did not answer in time. */
            TIMED_OUT(504);

            private final int status;

            Kind(int status) {
                this.status = status;
            }

            public int status() {
                return status;
            }
        }

        private final Kind kind;
        private final long neededMicros;

        public Failure(Kind kind, String message) {
            this(kind, message, 0);
        }

        public Failure(Kind kind, String message, long neededMicros) {
            super(message, null, false, false);
            this.kind = kind;
            this.neededMicros = neededMicros;
        }

        public Kind kind() {
            return kind;
        }

        public int status() {
            return kind.status();
        }

        /** For {@link Kind#NOT_ENOUGH_CREDIT}: the worst case that was to be reserved, in micros; else 0. */
        public long neededMicros() {
            return neededMicros;
        }
    }

    /**
     * Sends the conversation to {@code model} and completes with the whole answer. {@code maxTokens} caps the output
     * (at most the model's own cap; 0 or less: the model's cap, else {@code TOLLGATE_AI_DEFAULT_MAX_OUTPUT_TOKENS}).
     * Fails with {@link Failure}; an unknown model or an empty conversation fails at once.
     */
    CompletableFuture<Completion> complete(UUID payerUserId, String model, List<Message> messages, int maxTokens);

    /**
     * {@link #complete} with the vendor's own streaming (OpenAI {@code stream: true} chunks with
     * {@code stream_options.include_usage}, Anthropic {@code messages} events): {@code onDelta} gets each piece of
     * text as it arrives, in order, and the future completes after the last one with the whole answer and its usage.
     */
    CompletableFuture<Completion> stream(UUID payerUserId, String model, List<Message> messages, int maxTokens,
            Consumer<String> onDelta);

    /** Whether an enabled model of that name exists now. */
    boolean exists(String model);
}
