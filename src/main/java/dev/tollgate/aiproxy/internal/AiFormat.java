package dev.tollgate.aiproxy.internal;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The API format a caller speaks, which decides the shape of everything it gets back, errors included: OpenAI's
 * {@code {"error":{"message","type","param","code"}}} or Anthropic's {@code {"type":"error","error":{"type","message"}}},
 * which the official SDKs turn into their own exceptions by status.
 */
enum AiFormat {
    /** OpenAI Chat Completions, {@code POST /v1/chat/completions}. */
    CHAT("/chat/completions"),
    /** Anthropic Messages, {@code POST /v1/messages}. */
    MESSAGES("/v1/messages"),
    /** OpenAI Embeddings, {@code POST /v1/embeddings}. */
    EMBEDDINGS("/embeddings");

    /** The path of this format's call at an upstream, after the channel's base URL. */
    final String upstreamPath;

    AiFormat(String upstreamPath) {
        this.upstreamPath = upstreamPath;
    }

    boolean openAi() {
        return this != MESSAGES;
    }

    /** An error body of this format; {@code code} is OpenAI's machine-readable code (null for none). */
    JsonObject error(int status, String message, String code) {
        if (this == MESSAGES) {
            return new JsonObject().put("type", "error").put("error",
                    new JsonObject().put("type", anthropicType(status)).put("message", message));
        }
        return OpenAiErrors.body(message, openAiType(status), code);
    }

    void writeError(RoutingContext context, int status, String message, String code) {
        var response = context.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"tollgate\"");
        }
        response.end(error(status, message, code).toBuffer());
    }

    static String openAiType(int status) {
        return switch (status) {
            case 402 -> "insufficient_quota";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
