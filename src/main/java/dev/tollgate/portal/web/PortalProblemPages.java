package dev.tollgate.portal.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemPages;
import io.quarkus.qute.Engine;

/**
 * Problems on portal pages, for people: not signed in is a redirect to the sign-in page (back here afterwards);
 * anything else is the error page with the problem's explanation, or for htmx an alert in the page's notice area.
 * Anything but a browser (which asks for {@code text/html}) or htmx gets problem+json as everywhere else.
 */
@ApplicationScoped
class PortalProblemPages implements ProblemPages {

    private static final Logger LOG = Logger.getLogger(PortalProblemPages.class);

    private final Engine engine;
    private final Instance<Pages> pages;

    PortalProblemPages(Engine engine, Instance<Pages> pages) {
        this.engine = engine;
        this.pages = pages;
    }

    @Override
    public Response page(ProblemException problem, String path, String accept, boolean htmx) {
        if (!htmx && (accept == null || !accept.contains("text/html"))) {
            return null; // a client, not a browser: problem+json as everywhere else
        }
        int status = problem.status();
        if (status == 401) {
            String signIn = "/signin?next=" + URLEncoder.encode(askedFor(path), StandardCharsets.UTF_8);
            return htmx
                    ? Response.ok().header("HX-Redirect", signIn).build()
                    : Response.seeOther(URI.create(signIn)).header("Cache-Control", "no-store").build();
        }
        Response.ResponseBuilder response = Response.fromResponse(render(problem, path, htmx));
        if (htmx) {
            response.header("HX-Retarget", "#flash").header("HX-Reswap", "innerHTML");
        }
        problem.headers().forEach(response::header);
        return response.build();
    }

    /** The error page in the layout of the signed-in user's pages; a bare one if even that fails. */
    private Response render(ProblemException problem, String path, boolean htmx) {
        int status = problem.status();
        if (!htmx) {
            try {
                Pages page = pages.get();
                return page.html(status, page.template("error").data("status", status)
                        .data("title", problem.title()).data("detail", problem.detail()).render());
            } catch (RuntimeException e) {
                LOG.warnf(e, "The error page for %s could not be rendered with the layout", path);
            }
        }
        String body = engine.getTemplate(htmx ? "portal/_alert" : "portal/error").instance()
                .data("status", status).data("title", problem.title()).data("detail", problem.detail())
                .data("me", null).data("csrf", "").data("unread", 0L).data("path", path).data("notice", null)
                .data("isProvider", false).data("isAdmin", false).render();
        return Response.status(status).entity(body).type("text/html;charset=UTF-8")
                .header("Cache-Control", "no-store").build();
    }

    /** The page asked for, with its query, to come back to after signing in. */
    private String askedFor(String path) {
        try {
            return pages.get().pathAndQuery();
        } catch (RuntimeException e) {
            return path;
        }
    }
}
