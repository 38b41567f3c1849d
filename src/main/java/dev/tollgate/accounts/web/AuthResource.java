package dev.tollgate.accounts.web;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.AccountRules;
import dev.tollgate.accounts.Authentication;
import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Profiles;
import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.TokenPair;
import dev.tollgate.accounts.UserView;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Registration, login and tokens")
public class AuthResource {

    private final Authentication authentication;
    private final Profiles profiles;
    private final CurrentUser currentUser;

    AuthResource(Authentication authentication, Profiles profiles, CurrentUser currentUser) {
        this.authentication = authentication;
        this.profiles = profiles;
        this.currentUser = currentUser;
    }

    public record RegisterRequest(
            @NotBlank(message = "is required") @Size(max = 254, message = "must be at most 254 characters") @Pattern(regexp = AccountRules.EMAIL, message = "must be a valid e-mail address") String email,
            @NotNull(message = "is required") @Pattern(regexp = AccountRules.USERNAME, message = AccountRules.USERNAME_MESSAGE) String username,
            @NotNull(message = "is required") @Size(min = 10, max = 256, message = AccountRules.PASSWORD_MESSAGE) String password,
            @Pattern(regexp = "consumer|provider", message = "must be 'consumer' or 'provider'") String role) {
    }

    public record LoginRequest(@NotBlank(message = "is required") @Size(max = 254) String username,
            @NotNull(message = "is required") @Size(max = 256) String password) {
    }

    public record RefreshRequest(@NotBlank(message = "is required") @Size(max = 512) String refreshToken) {
    }

    @POST
    @Path("/register")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "201", description = "Registered and logged in", content = @Content(schema = @Schema(implementation = TokenPair.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "register", summary = "Create an account", description = "role is consumer (default) or provider.")
    public Response register(@Valid @NotNull(message = "a JSON body is required") RegisterRequest body) {
        Role role = body.role() == null ? Role.CONSUMER : Role.parse(body.role()).orElseThrow();
        TokenPair pair = authentication.register(body.email(), body.username(), body.password(), role);
        return Response.status(201).entity(pair).build();
    }

    @POST
    @Path("/login")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = "WrongCredentials")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @Operation(operationId = "login", summary = "Log in with username or e-mail", description = "5 failures per account or client address in 15 minutes lock logins (429).")
    public TokenPair login(@Valid @NotNull(message = "a JSON body is required") LoginRequest body,
            @Context HttpServerRequest request) {
        return authentication.login(body.username(), body.password(), request.remoteAddress().hostAddress());
    }

    @POST
    @Path("/refresh")
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", ref = "WrongCredentials")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "refreshTokens", summary = "Exchange a refresh token for a new token pair", description = "Each refresh token works once; reusing one ends the whole login.")
    public TokenPair refresh(@Valid @NotNull(message = "a JSON body is required") RefreshRequest body) {
        return authentication.refresh(body.refreshToken());
    }

    @POST
    @Path("/logout")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "jwt")
    @APIResponse(responseCode = "204", description = "Logged out")
    @Operation(operationId = "logout", summary = "End this login", description = "Its refresh tokens and access tokens stop working.")
    public Response logout() {
        authentication.logout(currentUser.sessionId());
        return Response.noContent().build();
    }

    @GET
    @Path("/me")
    @Authenticated
    @SecurityRequirement(name = "jwt")
    @Operation(operationId = "getCurrentUser", summary = "The current user")
    public UserView me() {
        return profiles.get(currentUser.id());
    }
}
