package dev.tollgate.aiproxy.internal;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

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

    static void write(RoutingContext context, int status, String message, String type, String code) {
        var response = context.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"tollgate\"");
        }
        response.end(body(message, type, code).toBuffer());
    }
}
