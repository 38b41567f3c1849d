package dev.tollgate.aiproxy.internal;

import io.vertx.core.json.JsonObject;

/**
 * Errors in OpenAI's format, {@code {"error":{"message","type","param","code"}}}, which the OpenAI SDKs parse into
 * their own exceptions.
 */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static JsonObject body(String message, String type, String code) {
        return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                .putNull("param").put("code", code));
    }
}
