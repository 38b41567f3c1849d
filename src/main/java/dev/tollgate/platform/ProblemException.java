package dev.tollgate.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A failure to report to the client as an RFC 9457 {@code application/problem+json} body. Thrown by control-plane
 * code; turned into a response by the platform's exception mappers. The message is the problem's {@code detail} and
 * is shown to the client, so it must never contain a secret.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, Map.of(), Map.of());
    }

    public ProblemException(int status, String title, String detail, Map<String, Object> extensions,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.extensions = Map.copyOf(extensions);
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Extra members of the problem body, e.g. {@code errors}. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** Extra response headers, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, Map.of(), Map.of("WWW-Authenticate", "Bearer"));
    }

    /**
     * 401 for a bearer token that was presented but is not accepted (RFC 6750 {@code error="invalid_token"}), e.g.
     * expired, forged or from an ended login.
     */
    public static ProblemException invalidToken(String detail) {
        return new ProblemException(401, "Unauthorized", detail, Map.of(),
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + detail + "\""));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    /** A 422 naming each invalid field. */
    public static ProblemException invalid(List<FieldError> errors) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("errors", errors);
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        return new ProblemException(422, "Unprocessable Content", detail, extensions, Map.of());
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ProblemException(429, "Too Many Requests", detail, Map.of("retry_after", retryAfterSeconds),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** One invalid input field. */
    public record FieldError(String field, String message) {
    }
}
