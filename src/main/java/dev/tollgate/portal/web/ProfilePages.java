package dev.tollgate.portal.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.tollgate.accounts.AccountRules;
import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Profiles;
import dev.tollgate.accounts.UserView;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * The user's profile: username and e-mail, and the password (the current one required; the change ends the user's
 * other sign-ins but not this one). The same rules as {@code PUT /api/v1/users/me}.
 */
@Path("/profile")
@PortalPage
@Produces("text/html")
class ProfilePages {

    private final Pages pages;
    private final Profiles profiles;
    private final CurrentUser current;

    ProfilePages(Pages pages, Profiles profiles, CurrentUser current) {
        this.pages = pages;
        this.profiles = profiles;
        this.current = current;
    }

    /** What was typed into the details form. */
    record Details(String username, String email) {
    }

    @GET
    public Response profile() {
        UserView me = pages.user();
        return pages.html(page(new Details(me.username(), me.email()), null, null));
    }

    @POST
    public Response update(@RestForm String username, @RestForm String email) {
        UserView me = pages.user();
        Details typed = new Details(username == null ? "" : username.trim(), email == null ? "" : email.trim());
        try {
            List<FieldError> errors = new ArrayList<>();
            if (!typed.username().matches(AccountRules.USERNAME)) {
                errors.add(new FieldError("username", AccountRules.USERNAME_MESSAGE));
            }
            if (typed.email().length() > 254 || !typed.email().matches(AccountRules.EMAIL)) {
                errors.add(new FieldError("email", "must be a valid e-mail address"));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            profiles.update(me.id(), current.sessionId(), new Profiles.ProfileChange(
                    typed.username().equals(me.username()) ? null : typed.username(),
                    typed.email().equalsIgnoreCase(me.email()) ? null : typed.email(), null, null, null));
            return pages.redirect("/profile", "Your profile is saved.");
        } catch (ProblemException e) {
            return pages.html(e.status(), page(typed, e.detail(), null).render());
        }
    }

    @POST
    @Path("password")
    public Response changePassword(@RestForm("current_password") String currentPassword,
            @RestForm String password, @RestForm("password_again") String again) {
        UserView me = pages.user();
        try {
            List<FieldError> errors = new ArrayList<>();
            if (currentPassword == null || currentPassword.isEmpty()) {
                errors.add(new FieldError("current_password", "is required to change the password"));
            } else if (currentPassword.length() > 256) {
                errors.add(new FieldError("current_password", "is at most 256 characters"));
            }
            if (password == null || password.length() < 10 || password.length() > 256) {
                errors.add(new FieldError("password", AccountRules.PASSWORD_MESSAGE));
            } else if (again != null && !again.equals(password)) {
                errors.add(new FieldError("password_again", "must be the same as the new password"));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            profiles.update(me.id(), current.sessionId(),
                    new Profiles.ProfileChange(null, null, password, currentPassword, null));
            return pages.redirect("/profile", "Your password is changed; your other sign-ins have ended.");
        } catch (ProblemException e) {
            return pages.html(e.status(),
                    page(new Details(me.username(), me.email()), null, e.detail()).render());
        }
    }

    private io.quarkus.qute.TemplateInstance page(Details details, String detailsError, String passwordError) {
        UserView me = pages.user();
        String account = "Account tier: " + me.plan() + " · roles: " + String.join(", ", me.roles())
                + " · member since " + ConsumerFormat.date(me.createdAt());
        return pages.template("profile").data("details", details).data("detailsError", detailsError)
                .data("passwordError", passwordError).data("account", account);
    }
}
