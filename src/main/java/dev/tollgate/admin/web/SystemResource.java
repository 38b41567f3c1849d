package dev.tollgate.admin.web;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.tollgate.admin.SystemStats;
import dev.tollgate.admin.internal.EffectiveConfig;
import dev.tollgate.admin.internal.RecentLogs;
import dev.tollgate.admin.internal.ServiceRestart;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.RequestIds;

/**
 * Seed 004's system endpoints for admins, about this node: statistics, the effective configuration and recent log
 * lines (secrets redacted from both), and a restart of the services that loses no usage or charges. See
 * {@code docs/SYSTEM.md}.
 */
@Path("/api/v1/system")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "jwt")
@Tag(name = "system", description = "The running node: health, statistics, configuration, logs, restart")
public class SystemResource {

    static final int MAX_LINES = RecentLogs.CAPACITY;

    private final SystemStats stats;
    private final EffectiveConfig config;
    private final RecentLogs logs;
    private final ServiceRestart restart;

    SystemResource(SystemStats stats, EffectiveConfig config, RecentLogs logs, ServiceRestart restart) {
        this.stats = stats;
        this.config = config;
        this.logs = logs;
        this.restart = restart;
    }

    /** The effective configuration: the active profiles and each shown property with its source. */
    public record ConfigView(List<String> profiles, List<EffectiveConfig.ConfigProperty> properties) {
    }

    /** One log line; {@code request_id} is null for lines logged outside a request. */
    public record LogLine(String timestamp, String level, String logger, String message, String requestId,
            String thread) {
    }

    @GET
    @Path("/stats")
    @APIResponse(responseCode = "200", description = "cpu, memory, heap, disk, threads, uptime, versions, requests "
            + "of the last minute and hour, queue depths", content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(operationId = "getSystemStats", summary = "This node's statistics", description = "Loads and rates are "
            + "fractions (0–1), sizes bytes. Requests count every response of this node, gateway included; "
            + "error_rate is 5xx per response.")
    public Map<String, Object> stats() {
        return stats.read();
    }

    @GET
    @Path("/config")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @Operation(operationId = "getSystemConfig", summary = "The effective configuration", description = "tollgate.* and "
            + "the quarkus.* properties an operator tunes, with the source of each; every secret shows as "
            + "\"[redacted]\".")
    public ConfigView config() {
        return new ConfigView(config.profiles(), config.properties());
    }

    @GET
    @Path("/logs")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "422", ref = "UnprocessableContent")
    @Operation(operationId = "getSystemLogs", summary = "Recent log lines of this node", description = "The newest "
            + "lines (oldest first) of the last " + RecentLogs.CAPACITY + " kept in memory since start-up; secrets "
            + "redacted.")
    public List<LogLine> logs(
            @Parameter(description = "How many lines, 1 to " + MAX_LINES
                    + " (default 200)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "2000", defaultValue = "200")) @QueryParam("lines") String lines,
            @Parameter(description = "Lowest level: TRACE, DEBUG, INFO, WARN, ERROR, FATAL") @QueryParam("level") String level,
            @Parameter(description = "Only the lines of this request id") @QueryParam("request_id") String requestId) {
        int count = 200;
        if (lines != null) {
            try {
                count = Integer.parseInt(lines.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("lines", "must be a whole number from 1 to " + MAX_LINES);
            }
            if (count < 1 || count > MAX_LINES) {
                throw ProblemException.invalid("lines", "must be from 1 to " + MAX_LINES);
            }
        }
        RecentLogs.Severity minimum = null;
        if (level != null) {
            minimum = RecentLogs.Severity.parse(level);
            if (minimum == null) {
                throw ProblemException.invalid("level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL");
            }
        }
        if (requestId != null && !RequestIds.isSane(requestId)) {
            throw ProblemException.invalid("request_id", "must be 1 to 128 letters, digits or ._:-");
        }
        return logs.tail(count, minimum, requestId).stream().map(l -> new LogLine(l.timestamp().toString(),
                l.level(), l.logger(), l.message(), l.requestId(), l.thread())).toList();
    }

    @POST
    @Path("/restart")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Operation(operationId = "restartServices", summary = "Restart this node's services without losing work", description = "Drains every queue (usage events, charges) into the database, then rebuilds every "
            + "data-plane snapshot; the process and the HTTP server keep running (a process restart is the "
            + "supervisor's job). Answers what was done, with timings.")
    public ServiceRestart.RestartReport restart() {
        return restart.restart();
    }
}
