package dev.tollgate.billing.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.billing.Ledger;
import dev.tollgate.billing.LedgerViews;

@Path("/api/v1/admin/billing")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "admin")
public class AdminBillingResource {

    private final Ledger ledger;

    AdminBillingResource(Ledger ledger) {
        this.ledger = ledger;
    }

    @GET
    @Path("/summary")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(operationId = "getMoneySummary", summary = "The platform's money", description = "Totals per account kind: consumer wallets (what "
            + "consumers may still spend, and how much of it nodes hold for calls), provider earnings and pending "
            + "payouts (owed to providers), platform revenue, grants given, Stripe clearing; sum and balanced "
            + "(true when all balances sum to zero, as double entry requires).")
    public LedgerViews.Summary summary() {
        return ledger.summary();
    }
}
