package dev.tollgate.portal.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Profiles;
import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserView;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Secrets;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;

/**
 * Renders portal pages: a template under {@code templates/portal} with what every page needs (the signed-in user,
 * the CSRF token, the unread notifications, a one-time notice), as {@code text/html} that is never cached. Pages call
 * the features' services in-process and ask here for the signed-in user ({@link #user()}: not signed in is a
 * redirect to the sign-in page).
 */
@RequestScoped
public class Pages {

    /** A one-time message shown on the next page (after a redirect). */
    static final String NOTICE_COOKIE = "tollgate_notice";

    private final Engine engine;
    private final CurrentUser current;
    private final Profiles profiles;
    private final Notifications notifications;
    private final HttpHeaders headers;
    private final UriInfo uri;
    private final List<NewCookie> cookies = new ArrayList<>();
    private final Optional<Boolean> secureCookies;
    private UserView user;

    Pages(Engine engine, CurrentUser current, Profiles profiles, Notifications notifications, HttpHeaders headers,
            UriInfo uri, @ConfigProperty(name = "tollgate.portal.secure-cookies") Optional<Boolean> secureCookies) {
        this.secureCookies = secureCookies;
        this.engine = engine;
        this.current = current;
        this.profiles = profiles;
        this.notifications = notifications;
        this.headers = headers;
        this.uri = uri;
    }

    /** The signed-in user, or a {@code 401} that the portal turns into a redirect to the sign-in page. */
    public UserView user() {
        UserView signedIn = signedInUser();
        if (signedIn == null) {
            throw ProblemException.unauthorized("Sign in to see this page.");
        }
        return signedIn;
    }

    /** The signed-in user if they have the role; a {@code 403} page otherwise. */
    public UserView user(Role role) {
        UserView signedIn = user();
        if (!signedIn.hasRole(role) && !signedIn.hasRole(Role.ADMIN)) {
            throw ProblemException.forbidden("This page is for " + role.id() + "s.");
        }
        return signedIn;
    }

    /** The signed-in user or null. */
    public UserView signedInUser() {
        if (user == null && current.signedIn()) {
            user = profiles.get(current.id());
        }
        return user;
    }

    /** The template {@code portal/<name>} with the common data; add the page's own with {@code data(...)}. */
    public TemplateInstance template(String name) {
        UserView me = signedInUser();
        TemplateInstance page = engine.getTemplate("portal/" + name).instance();
        page.data("me", me);
        page.data("isProvider", me != null && (me.hasRole(Role.PROVIDER) || me.hasRole(Role.ADMIN)));
        page.data("isAdmin", me != null && me.hasRole(Role.ADMIN));
        page.data("csrf", csrfToken());
        page.data("unread", me == null ? 0 : notifications.unreadCount(me.id()));
        page.data("path", uri.getPath());
        page.data("notice", takeNotice());
        return page;
    }

    /** The page as a {@code 200 text/html} response. */
    public Response html(TemplateInstance page) {
        return html(200, page.render());
    }

    /** Renders {@code portal/<name>} with the given name/value pairs. */
    public Response html(String name, Object... data) {
        TemplateInstance page = template(name);
        for (int i = 0; i + 1 < data.length; i += 2) {
            page.data((String) data[i], data[i + 1]);
        }
        return html(page);
    }

    /** A rendered page with its status (a form shown again with its error is a 4xx). */
    public Response html(int status, String body) {
        Response.ResponseBuilder response = Response.status(status).entity(body)
                .type("text/html;charset=UTF-8").header("Cache-Control", "no-store");
        cookies.forEach(response::cookie);
        return response.build();
    }

    /** The page asked for: its path and query. */
    String pathAndQuery() {
        String query = uri.getRequestUri().getRawQuery();
        return uri.getPath() + (query == null ? "" : "?" + query);
    }

    /** A page number from a query: 1 to 10,000 (an absurd one is the last page there could be, never an error). */
    static int pageNumber(Integer requested) {
        return requested == null ? 1 : Math.max(1, Math.min(requested, 10_000));
    }

    /**
     * {@code path} if it is a path of this site that a redirect can carry ({@code /…}, never {@code //host}, a
     * scheme, a backslash or a line break), else {@code fallback}: return addresses never lead to another site.
     */
    static String sitePath(String path, String fallback) {
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.contains("\\")
                || path.contains("\r") || path.contains("\n")) {
            return fallback;
        }
        try {
            URI parsed = new URI(path);
            return parsed.getScheme() == null && parsed.getRawAuthority() == null ? path : fallback;
        } catch (java.net.URISyntaxException e) {
            return fallback;
        }
    }

    /** {@code 303 See Other} to a portal path, with a notice for the next page (null for none). */
    public Response redirect(String path, String notice) {
        if (notice != null) {
            cookies.add(cookie(NOTICE_COOKIE, URLEncoder.encode(notice, StandardCharsets.UTF_8), 60));
        }
        Response.ResponseBuilder response = Response.seeOther(URI.create(path)).header("Cache-Control", "no-store");
        if (headers.getHeaderString("HX-Request") != null) {
            response = Response.ok().header("HX-Redirect", path);
        }
        cookies.forEach(response::cookie);
        return response.build();
    }

    /** Adds a cookie to the response this helper builds. */
    void addCookie(NewCookie cookie) {
        cookies.add(cookie);
    }

    /** An {@code HttpOnly}, {@code SameSite=Lax} cookie for the whole site, {@code Secure} when served over https. */
    NewCookie cookie(String name, String value, int maxAgeSeconds) {
        return new NewCookie.Builder(name).value(value).path("/").maxAge(maxAgeSeconds).httpOnly(true)
                .secure(secureCookies.orElseGet(() -> "https".equalsIgnoreCase(uri.getRequestUri().getScheme())))
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /** Whether htmx sent the request (a fragment is wanted, not a whole page). */
    public boolean htmx() {
        return headers.getHeaderString("HX-Request") != null;
    }

    private String csrfToken() {
        if (current.signedIn() && current.csrfToken() != null) {
            return current.csrfToken();
        }
        jakarta.ws.rs.core.Cookie existing = headers.getCookies().get(CsrfFilter.ANONYMOUS_COOKIE);
        if (existing != null && !existing.getValue().isBlank()) {
            return existing.getValue();
        }
        String token = Secrets.generate("");
        cookies.add(cookie(CsrfFilter.ANONYMOUS_COOKIE, token, 24 * 3600));
        return token;
    }

    private String takeNotice() {
        jakarta.ws.rs.core.Cookie notice = headers.getCookies().get(NOTICE_COOKIE);
        if (notice == null || notice.getValue().isBlank()) {
            return null;
        }
        cookies.add(cookie(NOTICE_COOKIE, "", 0));
        return java.net.URLDecoder.decode(notice.getValue(), StandardCharsets.UTF_8);
    }
}
