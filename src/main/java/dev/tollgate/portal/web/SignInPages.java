package dev.tollgate.portal.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.accounts.AccountRules;
import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.WebSessions;
import dev.tollgate.marketplace.ListingView;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.platform.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/** The landing page, sign-in, sign-up and sign-out. */
@Path("/")
@PortalPage
@Produces("text/html")
class SignInPages {

    private final Pages pages;
    private final WebSessions sessions;
    private final Marketplace marketplace;

    SignInPages(Pages pages, WebSessions sessions, Marketplace marketplace) {
        this.pages = pages;
        this.sessions = sessions;
        this.marketplace = marketplace;
    }

    @GET
    public Response landing() {
        List<ListingView> popular = marketplace
                .browse(new Marketplace.Browse(null, null, List.of(), null, null, "popular", 0, 12)).items();
        List<ListingView> featured = popular.stream().filter(ListingView::featured).limit(6).toList();
        return pages.html("landing", "featured", featured.isEmpty() ? popular.stream().limit(6).toList() : featured,
                "categories", marketplace.categories());
    }

    @GET
    @Path("signin")
    public Response signInForm(@RestQuery String next) {
        if (pages.signedInUser() != null) {
            return pages.redirect(safeNext(next), null);
        }
        return pages.html("signin", "next", safeNext(next), "login", "", "error", null);
    }

    @POST
    @Path("signin")
    public Response signIn(@RestForm String login, @RestForm String password, @RestForm String next,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        try {
            if (blank(login) || blank(password)) {
                throw ProblemException.badRequest("Enter your username or e-mail and your password.");
            }
            WebSessions.Started started = sessions.signIn(login, password, request.remoteAddress().hostAddress());
            return signedIn(started, headers, safeNext(next), "Welcome back, " + started.user().username() + ".");
        } catch (ProblemException e) {
            return pages.html(e.status(), pages.template("signin").data("next", safeNext(next))
                    .data("login", login).data("error", e.detail()).render());
        }
    }

    @GET
    @Path("signup")
    public Response signUpForm(@RestQuery String role) {
        return pages.html("signup", "form", new SignUp("", "", "provider".equals(role) ? "provider" : "consumer"),
                "error", null);
    }

    /** What was typed into the sign-up form, shown again with the error. */
    record SignUp(String email, String username, String role) {
    }

    @POST
    @Path("signup")
    public Response signUp(@RestForm String email, @RestForm String username, @RestForm String password,
            @RestForm String role, @Context HttpHeaders headers) {
        SignUp typed = new SignUp(email == null ? "" : email.trim(), username == null ? "" : username.trim(),
                "provider".equals(role) ? "provider" : "consumer");
        try {
            AccountRules.checkRegistration(typed.email(), typed.username(), password);
            WebSessions.Started started = sessions.signUp(typed.email(), typed.username(), password,
                    "provider".equals(typed.role()) ? Role.PROVIDER : Role.CONSUMER);
            return signedIn(started, headers, "provider".equals(typed.role()) ? "/provider" : "/marketplace",
                    "Welcome to Tollgate, " + started.user().username() + ".");
        } catch (ProblemException e) {
            return pages.html(e.status(),
                    pages.template("signup").data("form", typed).data("error", e.detail()).render());
        }
    }

    @POST
    @Path("signout")
    public Response signOut(@Context HttpHeaders headers) {
        jakarta.ws.rs.core.Cookie cookie = headers.getCookies().get(CurrentUser.SESSION_COOKIE);
        sessions.signOut(cookie == null ? null : cookie.getValue());
        pages.addCookie(pages.cookie(CurrentUser.SESSION_COOKIE, "", 0));
        return pages.redirect("/", "You are signed out.");
    }

    /** Starts the new sign-in's cookie; a sign-in the browser still had ends (one browser, one sign-in). */
    private Response signedIn(WebSessions.Started started, HttpHeaders headers, String next, String notice) {
        jakarta.ws.rs.core.Cookie previous = headers.getCookies().get(CurrentUser.SESSION_COOKIE);
        if (previous != null) {
            sessions.signOut(previous.getValue());
        }
        long seconds = Math.max(1, started.expiresAt().getEpochSecond() - java.time.Instant.now().getEpochSecond());
        pages.addCookie(pages.cookie(CurrentUser.SESSION_COOKIE, started.token(), (int) Math.min(seconds,
                Integer.MAX_VALUE)));
        return pages.redirect(next, notice);
    }

    /** Only a path of this site (never {@code //host} or a scheme): no open redirect. */
    static String safeNext(String next) {
        return Pages.sitePath(next, "/dashboard");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
