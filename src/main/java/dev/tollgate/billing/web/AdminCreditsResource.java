package dev.tollgate.billing.web;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.Ledger;
import dev.tollgate.billing.LedgerViews;
import dev.tollgate.billing.Wallets;

@Path("/api/v1/admin/credits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin")
public class AdminCreditsResource {

    private final Wallets wallets;
    private final CurrentUser currentUser;

    AdminCreditsResource(Wallets wallets, CurrentUser currentUser) {
        this.wallets = wallets;
        this.currentUser = currentUser;
    }

    public record GrantRequest(UUID userId, BigDecimal amount, String reason) {
    }

    @POST
    @Path("/grant")
    @APIResponse(responseCode = "201", description = "The grant (or, replayed, the first one)", content = @Content(schema = @Schema(implementation = LedgerViews.Transaction.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "grantCredits", summary = "Grant credits to a user", description = "Moves amount (currency units) from the platform's "
            + "grants account into the user's wallet. With an Idempotency-Key header, repeating the request returns "
            + "the first grant (header Idempotent-Replayed: true) instead of granting again.")
    public Response grant(@NotNull(message = "a JSON body is required") GrantRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Ledger.Posted posted = wallets.grant(currentUser.id(), body.userId(), body.amount(), body.reason(),
                idempotencyKey);
        return Response.status(201).header("Idempotent-Replayed", posted.replayed()).entity(posted.transaction())
                .build();
    }
}
