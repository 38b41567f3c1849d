package dev.tollgate.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.catalog.store.ApiEntity;
import dev.tollgate.catalog.store.CatalogStore;
import dev.tollgate.catalog.store.PlanEntity;
import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.gateway.Upstream;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Providers' APIs: publish, read, change, pause, resume and delete. Every change is in force on the gateway when the
 * call returns (this node) or within a second (other nodes), through the {@code catalog} change topic.
 */
@ApplicationScoped
public class ApiCatalog {

    private static final Logger LOG = Logger.getLogger(ApiCatalog.class);

    public static final String TOPIC = "catalog";
    static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._+-]{0,31}");
    private static final int DEFAULT_TIMEOUT_MS = 30_000;

    /**
     * Fields of an API; on update, {@code null} means unchanged. {@code maxRequestBodyBytes} 0 means the platform's
     * default body limit.
     */
    public record ApiDraft(String name, String slug, String description, String baseUrl, String version,
            String category, List<String> tags, String visibility, Integer timeoutMs, Long maxRequestBodyBytes) {
    }

    /** The largest per-API request body limit (1 TiB): larger values are surely mistakes. */
    static final long MAX_REQUEST_BODY_BYTES = 1L << 40;

    private final CatalogStore store;
    private final ChangeFeed changes;
    private final Plans plans;
    private final ApiAccess access;
    private final boolean allowPrivateUpstreams;
    private final long platformBodyLimit;

    ApiCatalog(CatalogStore store, ChangeFeed changes, Plans plans, ApiAccess access, GatewayConfig gateway) {
        this.store = store;
        this.access = access;
        this.changes = changes;
        this.plans = plans;
        this.allowPrivateUpstreams = gateway.allowPrivateUpstreams();
        this.platformBodyLimit = gateway.maxRequestBodySize().asLongValue();
    }

    public ApiView create(UUID ownerId, ApiDraft draft) {
        return create(ownerId, draft, "proxy");
    }

    /**
     * A hosted API: one whose calls run code that Tollgate keeps (the hosted feature's versions), so it has no
     * {@code base_url}. Served once a version of its code is active.
     */
    public ApiView createHosted(UUID ownerId, ApiDraft draft) {
        return create(ownerId, draft, "hosted");
    }

    private ApiView create(UUID ownerId, ApiDraft draft, String kind) {
        List<FieldError> errors = new ArrayList<>();
        require(errors, "name", draft.name());
        require(errors, "description", draft.description());
        if (kind.equals("proxy")) {
            require(errors, "base_url", draft.baseUrl());
        } else if (draft.baseUrl() != null) {
            errors.add(new FieldError("base_url", "a hosted API runs its code and has no base_url"));
        }
        validate(errors, draft);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return uniquely(() -> {
            Instant now = Instant.now();
            ApiEntity api = new ApiEntity();
            api.id = UUID.randomUUID();
            api.ownerId = ownerId;
            api.name = draft.name().trim();
            if (draft.slug() != null) {
                if (store.slugTaken(draft.slug(), api.id)) {
                    throw ProblemException.conflict("The slug '" + draft.slug() + "' is taken.");
                }
                api.slug = draft.slug();
            } else {
                api.slug = freeSlug(slugOf(api.name), api.id);
            }
            api.description = draft.description().trim();
            api.baseUrl = kind.equals("proxy") ? draft.baseUrl().trim() : "";
            api.kind = kind;
            api.version = draft.version() == null ? "1.0" : draft.version().trim();
            api.category = blankToNull(draft.category());
            api.tags = joinTags(draft.tags());
            api.visibility = draft.visibility() == null ? "private" : draft.visibility();
            api.status = "active";
            api.timeoutMs = draft.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : draft.timeoutMs();
            api.maxRequestBodyBytes = bodyLimit(draft.maxRequestBodyBytes());
            api.createdAt = now;
            api.updatedAt = now;
            store.persist(api);
            store.flush();
            plans.createDefault(api.id, now);
            changes.changed(TOPIC);
            LOG.infof("API %s (%s) published by %s", api.id, api.slug, ownerId);
            return view(api, true);
        });
    }

    public List<ApiView> mine(UUID ownerId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> store.apisOf(ownerId, false).stream().map(a -> view(a, true)).toList());
    }

    /** Public APIs of a user, as anyone may see them. */
    public List<ApiView> publicApisOf(UUID ownerId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> store.apisOf(ownerId, true).stream().map(a -> view(a, false)).toList());
    }

    /** Owner and admins see everything; others see public APIs without their upstream, and 404 otherwise. */
    public ApiView get(UUID id, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiEntity api = access.visible(id, actor);
            return view(api, ApiAccess.mayManage(api, actor));
        });
    }

    /**
     * 404 unless the API exists and the actor may see it; 403 unless they may manage it, with a detail that ends
     * "Only the API's owner or an admin may {@code action}."
     */
    public ApiView requireManaged(UUID id, Actor actor, String action) {
        return QuarkusTransaction.requiringNew().call(() -> view(access.managed(id, actor, action), true));
    }

    public ApiView update(UUID id, Actor actor, ApiDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        validate(errors, draft);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return uniquely(() -> {
            ApiEntity api = access.managed(id, actor, "change it");
            if ("hosted".equals(api.kind) && draft.baseUrl() != null) {
                throw ProblemException.invalid(List.of(new FieldError("base_url",
                        "a hosted API runs its code and has no base_url; deploy a new version instead")));
            }
            if (draft.slug() != null && !draft.slug().equals(api.slug) && store.slugTaken(draft.slug(), api.id)) {
                throw ProblemException.conflict("The slug '" + draft.slug() + "' is taken.");
            }
            if (draft.name() != null) {
                api.name = draft.name().trim();
            }
            if (draft.slug() != null) {
                api.slug = draft.slug();
            }
            if (draft.description() != null) {
                api.description = draft.description().trim();
            }
            if (draft.baseUrl() != null) {
                api.baseUrl = draft.baseUrl().trim();
            }
            if (draft.version() != null) {
                api.version = draft.version().trim();
            }
            if (draft.category() != null) {
                api.category = blankToNull(draft.category());
            }
            if (draft.tags() != null) {
                api.tags = joinTags(draft.tags());
            }
            if (draft.visibility() != null) {
                api.visibility = draft.visibility();
            }
            if (draft.timeoutMs() != null) {
                api.timeoutMs = draft.timeoutMs();
            }
            if (draft.maxRequestBodyBytes() != null) {
                api.maxRequestBodyBytes = bodyLimit(draft.maxRequestBodyBytes());
            }
            api.updatedAt = Instant.now();
            changes.changed(TOPIC);
            return view(api, true);
        });
    }

    public ApiView setPaused(UUID id, Actor actor, boolean paused) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiEntity api = access.managed(id, actor, paused ? "pause it" : "resume it");
            String status = paused ? "paused" : "active";
            if (!status.equals(api.status)) {
                api.status = status;
                api.updatedAt = Instant.now();
                changes.changed(TOPIC);
                LOG.infof("API %s (%s) %s by %s", api.id, api.slug, paused ? "paused" : "resumed", actor.userId());
            }
            return view(api, true);
        });
    }

    /** Deletes the API with its plans and subscriptions; its recorded usage stays. */
    public void delete(UUID id, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            ApiEntity api = access.managed(id, actor, "delete it");
            store.deleteApi(api);
            changes.changed(TOPIC);
            LOG.infof("API %s (%s) deleted by %s", api.id, api.slug, actor.userId());
        });
    }

    /** The ids among {@code ids} that name no API. */
    public Set<UUID> unknown(Collection<UUID> ids) {
        Set<UUID> known = QuarkusTransaction.requiringNew()
                .call(() -> store.apis(new HashSet<>(ids)).stream().map(a -> a.id).collect(Collectors.toSet()));
        Set<UUID> unknown = new LinkedHashSet<>(ids);
        unknown.removeAll(known);
        return unknown;
    }

    /** Slug and name of each of these APIs that still exists. */
    public Map<UUID, ApiView> summaries(Collection<UUID> ids) {
        return QuarkusTransaction.requiringNew().call(() -> store.apis(new HashSet<>(ids)).stream()
                .collect(Collectors.toMap(a -> a.id, a -> view(a, false))));
    }

    /**
     * What the marketplace shows of an API: the API as anyone sees it, its current plans, its active subscribers,
     * whether anyone may subscribe now (public and not paused), and its imported endpoints as "METHOD /path summary".
     */
    public record Offer(ApiView api, List<PlanView> plans, long subscribers, boolean open, List<String> endpoints) {
    }

    /** The offers of these APIs that still exist. */
    public Map<UUID, Offer> offers(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Set<UUID> distinct = new HashSet<>(ids);
            Map<UUID, List<PlanView>> plansOf = new HashMap<>();
            for (PlanEntity plan : store.plansOf(distinct)) {
                plansOf.computeIfAbsent(plan.apiId, k -> new ArrayList<>()).add(Plans.view(plan));
            }
            Map<UUID, Long> subscribers = new HashMap<>();
            for (Object[] row : store.activeSubscriberCounts()) {
                subscribers.put((UUID) row[0], ((Number) row[1]).longValue());
            }
            Map<UUID, List<String>> endpoints = new HashMap<>();
            for (Object[] row : store.endpointLines(distinct)) {
                endpoints.computeIfAbsent((UUID) row[0], k -> new ArrayList<>())
                        .add(row[1] + " " + row[2] + (row[3] == null ? "" : " " + row[3]));
            }
            Map<UUID, Offer> offers = new HashMap<>();
            for (ApiEntity api : store.apis(distinct)) {
                offers.put(api.id, new Offer(view(api, false), plansOf.getOrDefault(api.id, List.of()),
                        subscribers.getOrDefault(api.id, 0L),
                        "public".equals(api.visibility) && "active".equals(api.status),
                        endpoints.getOrDefault(api.id, List.of())));
            }
            return offers;
        });
    }

    /** The ids of the APIs the consumer has an active subscription to. */
    public Set<UUID> subscribedApis(UUID consumerId) {
        return QuarkusTransaction.requiringNew().call(() -> new HashSet<>(store.subscribedApis(consumerId)));
    }

    /** The API as {@code owner} (or an admin) or anyone else sees it; the body limit shown is the one in force. */
    ApiView view(ApiEntity api, boolean owner) {
        return new ApiView(api.id, api.ownerId, api.name, api.slug, api.description,
                owner && !api.baseUrl.isEmpty() ? api.baseUrl : null, api.version, api.category, api.tagList(),
                api.visibility, api.status, api.kind, owner ? api.timeoutMs : null,
                owner ? (api.maxRequestBodyBytes == null ? platformBodyLimit : api.maxRequestBodyBytes) : null,
                "/gw/" + api.slug, api.createdAt, api.updatedAt);
    }

    /** A requested body limit as stored: null (the platform's default) for 0 or none. */
    private static Long bodyLimit(Long requested) {
        return requested == null || requested == 0 ? null : requested;
    }

    private void validate(List<FieldError> errors, ApiDraft draft) {
        length(errors, "name", draft.name(), 100);
        if (draft.slug() != null && !SLUG.matcher(draft.slug()).matches()) {
            errors.add(new FieldError("slug", "must be 1 to 64 of a-z, 0-9 and '-', not starting or ending with '-'"));
        }
        if (draft.description() != null && draft.description().length() > 2000) {
            errors.add(new FieldError("description", "must be at most 2000 characters"));
        }
        if (draft.baseUrl() != null && !draft.baseUrl().isBlank()) {
            String problem = upstreamProblem(draft.baseUrl());
            if (problem != null) {
                errors.add(new FieldError("base_url", problem));
            }
        }
        length(errors, "version", draft.version(), 32);
        if (draft.category() != null && draft.category().length() > 64) {
            errors.add(new FieldError("category", "must be at most 64 characters"));
        }
        if (draft.tags() != null) {
            if (draft.tags().size() > 20) {
                errors.add(new FieldError("tags", "must be at most 20 tags"));
            } else if (!draft.tags().stream().allMatch(t -> t != null && TAG.matcher(t).matches())) {
                errors.add(new FieldError("tags", "each tag must be 1 to 32 letters, digits, spaces or ._+-"));
            }
        }
        if (draft.visibility() != null && !draft.visibility().equals("public")
                && !draft.visibility().equals("private")) {
            errors.add(new FieldError("visibility", "must be public or private"));
        }
        if (draft.timeoutMs() != null && (draft.timeoutMs() < 100 || draft.timeoutMs() > 300_000)) {
            errors.add(new FieldError("timeout_ms", "must be 100 to 300000"));
        }
        if (draft.maxRequestBodyBytes() != null
                && (draft.maxRequestBodyBytes() < 0 || draft.maxRequestBodyBytes() > MAX_REQUEST_BODY_BYTES)) {
            errors.add(new FieldError("max_request_body_bytes",
                    "must be 1 to " + MAX_REQUEST_BODY_BYTES + " bytes, or 0 for the platform's default"));
        }
    }

    /** Why the URL cannot be an upstream, or null (see {@link Upstream#problemWith}). */
    String upstreamProblem(String baseUrl) {
        return Upstream.problemWith(baseUrl, allowPrivateUpstreams);
    }

    private static void require(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        }
    }

    private static void length(List<FieldError> errors, String field, String value, int max) {
        if (value != null && (value.isBlank() || value.length() > max)) {
            errors.add(new FieldError(field, "must be 1 to " + max + " characters"));
        }
    }

    static String slugOf(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 48) {
            slug = slug.substring(0, 48).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "api" : slug;
    }

    private String freeSlug(String base, UUID id) {
        String slug = base;
        for (int n = 2; store.slugTaken(slug, id); n++) {
            slug = base + "-" + n;
        }
        return slug;
    }

    private static String joinTags(List<String> tags) {
        return tags == null ? "" : tags.stream().map(String::trim).distinct().collect(Collectors.joining(","));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static <T> T uniquely(Callable<T> write) {
        return Transactions.uniquely(write, "That name or slug was just taken; try again.");
    }
}
