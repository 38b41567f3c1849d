package dev.tollgate.accounts.web;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.internal.SigningKeys;

@Path("/.well-known/jwks.json")
@Tag(name = "auth")
public class JwksResource {

    private final SigningKeys keys;

    JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Operation(operationId = "getJwks", summary = "Public keys that verify Tollgate access tokens (RS256)")
    public Map<String, Object> jwks() {
        return keys.jwks();
    }
}
