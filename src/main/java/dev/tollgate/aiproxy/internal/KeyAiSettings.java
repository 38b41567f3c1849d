package dev.tollgate.aiproxy.internal;

import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.ModelLimit;

/**
 * What a consumer key's settings say about one AI model: whether the key may use it, its per-minute limits (0: none)
 * and the key's monthly spend cap in micros (-1: none).
 */
record KeyAiSettings(boolean allowed, long requestsPerMinute, long tokensPerMinute, long monthlySpendCapMicros) {

    static KeyAiSettings of(ApiKeyRule key, String model) {
        ModelLimit limit = key.limitFor(model);
        return new KeyAiSettings(key.allowsModel(model), limit == null ? 0 : limit.requestsPerMinute(),
                limit == null ? 0 : limit.tokensPerMinute(), key.monthlySpendCapMicros());
    }
}
