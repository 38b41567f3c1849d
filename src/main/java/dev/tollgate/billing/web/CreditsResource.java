package dev.tollgate.billing.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.LedgerViews;
import dev.tollgate.billing.Wallets;
import io.quarkus.security.Authenticated;

@Path("/api/v1/users/me/credits")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "billing", description = "Credits, ledger and payments")
public class CreditsResource {

    private final Wallets wallets;
    private final CurrentUser currentUser;

    CreditsResource(Wallets wallets, CurrentUser currentUser) {
        this.wallets = wallets;
        this.currentUser = currentUser;
    }

    @GET
    @Operation(operationId = "getMyCredits", summary = "My credits", description = "balance; reserved: committed "
            + "to calls in flight or charged and not yet written (and credit other gateway nodes hold for you); "
            + "available = balance − reserved, what you can still spend. In currency units.")
    public LedgerViews.Credits credits() {
        return wallets.credits(currentUser.id());
    }

}
