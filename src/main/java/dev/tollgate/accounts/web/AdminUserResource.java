package dev.tollgate.accounts.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.Tier;
import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.accounts.UserView;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

@Path("/api/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin", description = "Administration")
public class AdminUserResource {

    private final UserDirectory directory;
    private final CurrentUser currentUser;

    AdminUserResource(UserDirectory directory, CurrentUser currentUser) {
        this.directory = directory;
        this.currentUser = currentUser;
    }

    public record UpdateUserRequest(@Size(min = 1, max = 3, message = "must name 1 to 3 roles") List<String> roles,
            Boolean suspended, String plan) {
    }

    @GET
    @APIResponse(responseCode = "200", description = "The users; the total is in X-Total-Count", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = UserView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listUsers", summary = "List users", description = "Filter by e-mail (substring) and role; the total is in "
            + "X-Total-Count.")
    public Response list(@QueryParam("email") @Size(max = 254) String email, @QueryParam("role") String role,
            @QueryParam("skip") @DefaultValue("0") @Min(value = 0, message = "must be 0 or more") int skip,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be 1 to 1000") @Max(value = 1000, message = "must be 1 to 1000") int limit) {
        Role roleFilter = role == null || role.isBlank()
                ? null
                : Role.parse(role).orElseThrow(() -> ProblemException.invalid("role",
                        "must be consumer, provider or admin"));
        String emailFilter = email == null || email.isBlank() ? null : email.trim().toLowerCase();
        UserDirectory.Page page = directory.list(emailFilter, roleFilter, skip, limit);
        return Response.ok(page.users()).header("X-Total-Count", page.total()).build();
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "getUser", summary = "One user")
    public UserView get(@PathParam("id") UUID id) {
        return directory.get(id);
    }

    @PUT
    @Path("/{id}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "updateUser", summary = "Change a user's roles, tier (plan) or suspension", description = "Suspending ends all of the user's logins at once.")
    public UserView update(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") UpdateUserRequest body) {
        List<FieldError> errors = new ArrayList<>();
        List<Role> roles = null;
        if (body.roles() != null) {
            roles = new ArrayList<>();
            for (String roleId : body.roles()) {
                Role parsed = Role.parse(roleId).orElse(null);
                if (parsed == null) {
                    errors.add(new FieldError("roles", "'" + roleId + "' is not one of consumer, provider, admin"));
                } else {
                    roles.add(parsed);
                }
            }
        }
        Tier plan = null;
        if (body.plan() != null) {
            plan = Tier.parse(body.plan()).orElse(null);
            if (plan == null) {
                errors.add(new FieldError("plan", "must be free, pro or enterprise"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return directory.update(currentUser.id(), id, new UserDirectory.UserChange(roles, body.suspended(), plan));
    }
}
