package dev.tollgate.aiproxy.internal;

/**
 * Tokens of one AI call. {@code inputTokens} counts all prompt tokens, including {@code cachedInputTokens} (read from
 * the vendor's prompt cache, priced separately when the model says so). {@code estimated} says the counts are
 * Tollgate's own (JTokkit), because the upstream reported none.
 */
record TokenUsage(long inputTokens, long outputTokens, long cachedInputTokens, boolean estimated) {

    static final TokenUsage NONE = new TokenUsage(0, 0, 0, false);

    long totalTokens() {
        return inputTokens + outputTokens;
    }
}
