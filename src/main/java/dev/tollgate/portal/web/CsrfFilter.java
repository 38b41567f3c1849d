package dev.tollgate.portal.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.platform.ProblemException;

/**
 * Every state-changing portal request carries the CSRF token: in the form field {@code _csrf} (plain forms) or the
 * {@code X-CSRF-Token} header (htmx, from the page's meta tag). A signed-in browser's token belongs to its sign-in;
 * before signing in (the sign-in and sign-up forms) it is the {@code tollgate_csrf} cookie's value (double submit).
 * The session cookie is {@code SameSite=Lax} besides.
 */
@ApplicationScoped
class CsrfFilter {

    static final String FIELD = "_csrf";
    static final String HEADER = "X-CSRF-Token";
    static final String ANONYMOUS_COOKIE = "tollgate_csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final CurrentUser user;

    CsrfFilter(CurrentUser user) {
        this.user = user;
    }

    @PortalPage
    @WithFormRead
    @ServerRequestFilter
    void check(ResteasyReactiveContainerRequestContext context) {
        if (SAFE.contains(context.getMethod())) {
            return;
        }
        String expected;
        if (user.signedIn()) {
            expected = user.csrfToken();
        } else {
            Cookie cookie = context.getCookies().get(ANONYMOUS_COOKIE);
            expected = cookie == null ? null : cookie.getValue();
        }
        String presented = context.getHeaderString(HEADER);
        if (presented == null) {
            Object field = ((ResteasyReactiveRequestContext) context.getServerRequestContext())
                    .getFormParameter(FIELD, true, false);
            presented = field == null ? null : field.toString();
        }
        if (expected == null || presented == null || !MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.forbidden(
                    "This form has expired or did not come from this site; reload the page and try again.");
        }
    }
}
