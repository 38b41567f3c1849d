package dev.tollgate.metering.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;

import dev.tollgate.accounts.CurrentUser;
import dev.tollgate.accounts.Role;
import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.metering.Analytics;
import dev.tollgate.metering.Analytics.Perspective;
import dev.tollgate.platform.ProblemException;

/**
 * Reads the common parameters of the analytics endpoints and decides whose calls the caller sees: providers the calls
 * to their own APIs, consumers their own calls, admins everything. A user who is both provider and consumer chooses
 * with {@code as} (default: provider). An {@code api_id} the caller may not see is a 404, whatever it names.
 * Malformed or out-of-range values are 400 problems.
 */
@RequestScoped
class AnalyticsRequest {

    /** The longest window a report may cover. */
    static final Duration LONGEST = Duration.ofDays(400);

    private final CurrentUser user;
    private final ApiCatalog catalog;
    private final Analytics analytics;
    private final Clock clock;

    AnalyticsRequest(CurrentUser user, ApiCatalog catalog, Analytics analytics, Clock clock) {
        this.user = user;
        this.catalog = catalog;
        this.analytics = analytics;
        this.clock = clock;
    }

    /** A report's window: [from, to). */
    record Window(Instant from, Instant to) {
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * The window from {@code from} and {@code to} (ISO-8601 instants or dates, UTC); {@code to} defaults to now,
     * {@code from} to {@code length} before {@code to}.
     */
    Window window(String from, String to, Duration length) {
        Instant end = instant("to", to);
        Instant start = instant("from", from);
        if (end == null) {
            end = now();
        }
        if (start == null) {
            start = end.minus(length);
        }
        if (!end.isAfter(start)) {
            throw ProblemException.badRequest("to: must be after from (" + start + ")");
        }
        if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            throw ProblemException.badRequest("from, to: the window must be at most " + LONGEST.toDays() + " days");
        }
        return new Window(start, end);
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
            throw ProblemException.badRequest(name + ": must be an ISO-8601 instant (2026-11-01T00:00:00Z) or date");
        }
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(name + ": must be a UUID");
        }
    }

    /** Whether {@code format} asks for CSV (else JSON). */
    static boolean csv(String format) {
        if (format == null || format.isBlank() || format.equals("json")) {
            return false;
        }
        if (format.equals("csv")) {
            return true;
        }
        throw ProblemException.badRequest("format: must be json or csv");
    }

    /** Whose calls the caller sees, narrowed by {@code api_id} and {@code consumer_id}. */
    Analytics.View view(String as, String apiIdParam, String consumerIdParam, Window window) {
        UUID apiId = uuid("api_id", apiIdParam);
        UUID consumerId = uuid("consumer_id", consumerIdParam);
        Perspective perspective = perspective(as);
        UUID me = user.id();
        return switch (perspective) {
            case ADMIN -> new Analytics.View(perspective, apiId == null ? null : Set.of(apiId), consumerId);
            case PROVIDER -> {
                Set<UUID> mine = catalog.mine(me).stream().map(ApiView::id).collect(Collectors.toSet());
                if (apiId != null && !mine.contains(apiId)) {
                    throw notVisible(apiId);
                }
                yield new Analytics.View(perspective, apiId == null ? mine : Set.of(apiId), consumerId);
            }
            case CONSUMER -> {
                if (consumerId != null && !consumerId.equals(me)) {
                    throw ProblemException.forbidden("consumer_id: consumers see their own calls only.");
                }
                if (apiId != null && !mayFilterBy(apiId, me, window)) {
                    throw notVisible(apiId);
                }
                yield new Analytics.View(perspective, apiId == null ? null : Set.of(apiId), me);
            }
        };
    }

    /** An API a consumer may see in the catalog, or one (such as an AI model) they called in the window. */
    private boolean mayFilterBy(UUID apiId, UUID me, Window window) {
        try {
            catalog.get(apiId, new Actor(me, false));
            return true;
        } catch (ProblemException e) {
            if (e.status() != 404 && e.status() != 403) {
                throw e;
            }
            return analytics.called(me, apiId, window.from(), window.to());
        }
    }

    private static ProblemException notVisible(UUID apiId) {
        return ProblemException.notFound("No API with id " + apiId + " among those whose analytics you may see.");
    }

    private Perspective perspective(String as) {
        boolean admin = user.has(Role.ADMIN);
        boolean provider = user.has(Role.PROVIDER);
        if (as == null || as.isBlank()) {
            return admin ? Perspective.ADMIN : provider ? Perspective.PROVIDER : Perspective.CONSUMER;
        }
        return switch (as) {
            case "admin" -> {
                if (!admin) {
                    throw ProblemException.forbidden("as=admin is for admins.");
                }
                yield Perspective.ADMIN;
            }
            case "provider" -> {
                if (!provider && !admin) {
                    throw ProblemException.forbidden("as=provider is for providers: you publish no APIs.");
                }
                yield Perspective.PROVIDER;
            }
            case "consumer" -> Perspective.CONSUMER;
            default -> throw ProblemException.badRequest("as: must be provider, consumer or admin");
        };
    }

    /** Reports of providers and admins only. */
    static void requireNotConsumer(Analytics.View view, String what) {
        if (view.as() == Perspective.CONSUMER) {
            throw ProblemException.forbidden(what + " are for providers (of their APIs) and admins.");
        }
    }
}
