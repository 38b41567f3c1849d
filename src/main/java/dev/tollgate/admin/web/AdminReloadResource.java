package dev.tollgate.admin.web;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.platform.ChangeFeed;

/**
 * Seed 002's reload: rebuilds the data plane's in-memory snapshots (APIs, plans and subscriptions, keys, accounts, AI
 * models, the marketplace) from the database on this node now. Other nodes rebuild on their own when data changes;
 * this is for an operator who changed the database by hand or wants to be sure.
 */
@Path("/api/v1/admin/reload")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin")
public class AdminReloadResource {

    private final ChangeFeed changes;
    private final ApiCatalog catalog;
    private final CurrentUser currentUser;

    AdminReloadResource(ChangeFeed changes, ApiCatalog catalog, CurrentUser currentUser) {
        this.changes = changes;
        this.catalog = catalog;
        this.currentUser = currentUser;
    }

    /** Each rebuilt topic and the version of its data now in force. */
    public record Reloaded(Map<String, Long> versions) {
    }

    @POST
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(operationId = "reloadSnapshots", summary = "Rebuild every data-plane snapshot now", description = "On this node, from the database.")
    public Reloaded reload() {
        return new Reloaded(changes.reloadNow(Set.of()));
    }

    @POST
    @Path("/{apiId}")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @Operation(operationId = "reloadApiSnapshot", summary = "Rebuild the snapshot that serves an API now", description = "The catalog snapshot "
            + "(APIs, plans, subscriptions) and what follows it (the marketplace, usage endpoint names), on this node.")
    public Reloaded reloadApi(@PathParam("apiId") UUID apiId) {
        catalog.get(apiId, new Actor(currentUser.id(), true)); // 404 for an unknown API
        return new Reloaded(changes.reloadNow(Set.of(ApiCatalog.TOPIC)));
    }
}
