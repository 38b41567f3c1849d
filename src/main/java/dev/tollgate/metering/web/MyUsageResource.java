package dev.tollgate.metering.web;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.metering.UsageQueries;
import dev.tollgate.platform.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/users/me/usage")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "jwt")
@Tag(name = "users")
public class MyUsageResource {

    private final UsageQueries usage;
    private final ApiCatalog catalog;
    private final CurrentUser currentUser;

    private final java.time.Clock clock;

    MyUsageResource(UsageQueries usage, ApiCatalog catalog, CurrentUser currentUser, java.time.Clock clock) {
        this.usage = usage;
        this.catalog = catalog;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    public record ApiUsage(UUID apiId, String apiSlug, String apiName, long calls, long errors) {
    }

    /** AI calls to one model; {@code cost} in currency units. */
    public record ModelUsage(String model, long calls, long errors, long inputTokens, long outputTokens,
            long cachedInputTokens, java.math.BigDecimal cost) {
    }

    public record MyUsage(String window, Instant since, long calls, long errors, List<ApiUsage> apis,
            List<ModelUsage> models) {
    }

    @GET
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "getMyUsage", summary = "My gateway calls per API and AI calls per model", description = "window month (default: this calendar month, "
            + "UTC), 1h, 24h, 7d or 30d; errors are responses of 400 and above.")
    public MyUsage usage(@QueryParam("window") String window) {
        Instant since;
        String name = window == null || window.isBlank() ? "month" : window;
        if (name.equals("month")) {
            since = YearMonth.now(clock.withZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
            Duration length = ApiMetricsResource.WINDOWS.get(name);
            if (length == null) {
                throw ProblemException.invalid("window", "must be month, 1h, 24h, 7d or 30d");
            }
            since = clock.instant().minus(length);
        }
        List<UsageQueries.ApiUse> uses = usage.consumerUsage(currentUser.id(), since);
        Map<UUID, ApiView> apis = catalog.summaries(uses.stream().map(UsageQueries.ApiUse::apiId).toList());
        List<ApiUsage> rows = uses.stream().map(u -> {
            ApiView api = apis.get(u.apiId());
            return new ApiUsage(u.apiId(), api == null ? null : api.slug(), api == null ? null : api.name(),
                    u.calls(), u.errors());
        }).toList();
        List<ModelUsage> models = usage.consumerModelUsage(currentUser.id(), since).stream()
                .map(m -> new ModelUsage(m.model(), m.calls(), m.errors(), m.inputTokens(), m.outputTokens(),
                        m.cachedInputTokens(), dev.tollgate.platform.Money.fromMicros(m.costMicros())))
                .toList();
        return new MyUsage(name, since,
                rows.stream().mapToLong(ApiUsage::calls).sum() + models.stream().mapToLong(ModelUsage::calls).sum(),
                rows.stream().mapToLong(ApiUsage::errors).sum() + models.stream().mapToLong(ModelUsage::errors).sum(),
                rows, models);
    }
}
