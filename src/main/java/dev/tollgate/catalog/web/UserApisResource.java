package dev.tollgate.catalog.web;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import io.quarkus.security.Authenticated;

@Path("/api/v1/users/{userId}/apis")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "apis")
public class UserApisResource {

    private final ApiCatalog catalog;

    UserApisResource(ApiCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(operationId = "listUserPublicApis", summary = "Public APIs of a user")
    public List<ApiView> list(@PathParam("userId") UUID userId) {
        return catalog.publicApisOf(userId);
    }
}
