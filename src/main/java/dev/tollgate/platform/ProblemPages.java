package dev.tollgate.platform;

import jakarta.ws.rs.core.Response;

/**
 * Renders a problem as a page for a person instead of problem+json. The portal implements it; the platform's
 * exception mappers ask it first for every request outside the machine interfaces ({@link #isPagePath}).
 */
public interface ProblemPages {

    /**
     * The page (or redirect) for this problem, or null when the request wants problem+json after all.
     *
     * @param path the request path
     * @param accept the request's {@code Accept} header (may be null)
     * @param htmx whether htmx sent the request (a fragment is wanted)
     */
    Response page(ProblemException problem, String path, String accept, boolean htmx);

    /** Whether a path belongs to the pages people open, not to the API, gateway, AI proxy or operations. */
    static boolean isPagePath(String path) {
        return !(path.startsWith("/api/") || path.equals("/api") || path.startsWith("/gw/") || path.equals("/gw")
                || path.startsWith("/v1/") || path.startsWith("/q/") || path.startsWith("/metrics")
                || path.startsWith("/docs") || path.startsWith("/webjars/") || path.startsWith("/static/"));
    }
}
