package dev.tollgate.billing.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import dev.tollgate.billing.LedgerViews;
import dev.tollgate.billing.Wallets;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/billing/transactions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "billing", description = "Credits, ledger and payments")
public class BillingTransactionsResource {

    private final Wallets wallets;
    private final CurrentUser currentUser;

    BillingTransactionsResource(Wallets wallets, CurrentUser currentUser) {
        this.wallets = wallets;
        this.currentUser = currentUser;
    }

    @GET
    @APIResponse(responseCode = "200", description = "My ledger lines; the total is in X-Total-Count", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = LedgerViews.Line.class)))
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "listMyTransactions", summary = "Lines of my ledger accounts", description = "Newest first; type (grant, topup, charge, "
            + "subscription, refund, payout, adjustment), from and to (ISO-8601 instant or date, UTC; to is "
            + "exclusive). The total is in X-Total-Count.")
    public Response transactions(@QueryParam("type") String type, @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("skip") @DefaultValue("0") @Min(value = 0, message = "must be 0 or more") int skip,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be 1 to 1000") @Max(value = 1000, message = "must be 1 to 1000") int limit) {
        Wallets.Lines page = wallets.lines(currentUser.id(), blankToNull(type), instant("from", from),
                instant("to", to), skip, limit);
        return Response.ok(page.lines()).header("X-Total-Count", page.total()).build();
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be an ISO-8601 instant (2026-11-01T00:00:00Z) or date");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
