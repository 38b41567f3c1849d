package dev.tollgate.accounts.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.AccountRules;
import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Profiles;
import dev.tollgate.accounts.UserView;
import io.quarkus.security.Authenticated;

@Path("/api/v1/users/me")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "users", description = "The current user's profile")
public class UserResource {

    private final Profiles profiles;
    private final CurrentUser currentUser;

    UserResource(Profiles profiles, CurrentUser currentUser) {
        this.profiles = profiles;
        this.currentUser = currentUser;
    }

    public record UpdateProfileRequest(
            @Pattern(regexp = AccountRules.USERNAME, message = AccountRules.USERNAME_MESSAGE) String username,
            @Size(max = 254, message = "must be at most 254 characters") @Pattern(regexp = AccountRules.EMAIL, message = "must be a valid e-mail address") String email,
            @Size(min = 10, max = 256, message = AccountRules.PASSWORD_MESSAGE) String password,
            @Size(max = 256) String currentPassword,
            Boolean becomeProvider) {
    }

    @GET
    @Operation(operationId = "getMyProfile", summary = "My profile")
    public UserView get() {
        return profiles.get(currentUser.id());
    }

    @PUT
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "updateMyProfile", summary = "Change my username, e-mail or password, or become a provider", description = "A password change needs current_password and ends my other logins.")
    public UserView update(@Valid @NotNull(message = "a JSON body is required") UpdateProfileRequest body) {
        return profiles.update(currentUser.id(), currentUser.sessionId(), new Profiles.ProfileChange(
                body.username(), body.email(), body.password(), body.currentPassword(), body.becomeProvider()));
    }
}
