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
    EMBEDDINGS("/embeddings"),
    /**
     * Seed 004's {@code POST /api/v1/ai/predict}: sent upstream as a chat completion, answered in its own shape, with
     * errors as {@code application/problem+json} like the rest of {@code /api/v1}.
     */
    PREDICT("/chat/completions");

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
        if (this == PREDICT) {
            JsonObject problem = new JsonObject().put("type", "about:blank")
                    .put("title", dev.tollgate.platform.Problems.title(status)).put("status", status)
                    .put("detail", message);
            return code == null ? problem : problem.put("code", code);
        }
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
        response.setStatusCode(status).putHeader("Content-Type",
                this == PREDICT ? dev.tollgate.platform.Problems.MEDIA_TYPE : "application/json");
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
