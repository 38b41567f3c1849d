package dev.tollgate.billing.web;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotNull;
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

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.billing.LowBalanceAlerts;
import io.quarkus.security.Authenticated;

@Path("/api/v1/billing/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "billing")
public class BalanceAlertsResource {

    private final LowBalanceAlerts alerts;
    private final CurrentUser currentUser;

    BalanceAlertsResource(LowBalanceAlerts alerts, CurrentUser currentUser) {
        this.alerts = alerts;
        this.currentUser = currentUser;
    }

    /** {@code low_balance_threshold} in currency units; null for the default. */
    public record BalanceAlertsRequest(BigDecimal lowBalanceThreshold) {
    }

    @GET
    @APIResponse(responseCode = "200")
    @Operation(operationId = "getMyBalanceAlerts", summary = "My low-balance alert", description = "A charge that "
            + "leaves my wallet's balance below low_balance_threshold (currency units) notifies me (low_balance), once "
            + "until my next top-up or grant. custom: whether I set it; otherwise it is TOLLGATE_LOW_BALANCE_PERCENT "
            + "(10) percent of last_top_up, and null before any top-up.")
    public LowBalanceAlerts.AlertSettings get() {
        return alerts.settings(currentUser.id());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "setMyBalanceAlerts", summary = "Set my low-balance alert", description = "low_balance_threshold: "
            + "0 to 1000000 currency units (0: never), or null to go back to the default share of the last top-up.")
    public LowBalanceAlerts.AlertSettings put(@NotNull(message = "a JSON body is required") BalanceAlertsRequest body) {
        return alerts.setThreshold(currentUser.id(), body.lowBalanceThreshold());
    }
}
