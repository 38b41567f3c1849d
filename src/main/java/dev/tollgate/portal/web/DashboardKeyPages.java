package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.accounts.UserView;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.catalog.SubscriptionView;
import dev.tollgate.catalog.Subscriptions;
import dev.tollgate.keys.ApiKeyView;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * The user's API keys: the list (never a secret), creating one (its secret shown once, on the answer to the form),
 * rotating (the new secret shown once) and revoking, both after a confirmation page. The keys service checks that
 * the key is the user's: anyone else's key id is a 404 and changes nothing.
 */
@Path("/dashboard/keys")
@PortalPage
@Produces("text/html")
class DashboardKeyPages {

    private final Pages pages;
    private final ApiKeys keys;
    private final Subscriptions subscriptions;
    private final ApiCatalog catalog;
    private final Clock clock;

    DashboardKeyPages(Pages pages, ApiKeys keys, Subscriptions subscriptions, ApiCatalog catalog, Clock clock) {
        this.pages = pages;
        this.keys = keys;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** A key as listed. {@code status}: active, expired or revoked. */
    record KeyRow(UUID id, String name, String prefix, String apis, String models, String spendCap, String created,
            String lastUsed, String expires, String status, String statusClass, boolean active) {
    }

    /** What was typed into the create form, shown again with its error. */
    record KeyForm(String name, List<String> apiIds, String modelIds, String spendCap, String expiresOn) {

        static final KeyForm EMPTY = new KeyForm("", List.of(), "", "", "");

        boolean checked(UUID apiId) {
            return apiIds.contains(apiId.toString());
        }
    }

    /** An API the new key may be limited to (the user's subscriptions). */
    record ApiChoice(UUID id, String name, boolean checked) {
    }

    @GET
    public Response list(@RestQuery String show) {
        UserView me = pages.user();
        return pages.html(page(me, "all".equals(show), KeyForm.EMPTY, null));
    }

    @POST
    public Response create(@RestForm String name, @RestForm("api_ids") List<String> apiIds,
            @RestForm("model_ids") String modelIds, @RestForm("monthly_spend_cap") String spendCap,
            @RestForm("expires_on") String expiresOn) {
        UserView me = pages.user();
        KeyForm typed = new KeyForm(name == null ? "" : name.trim(), apiIds == null ? List.of() : apiIds,
                modelIds == null ? "" : modelIds.trim(), spendCap == null ? "" : spendCap.trim(),
                expiresOn == null ? "" : expiresOn.trim());
        try {
            List<FieldError> errors = new ArrayList<>();
            List<UUID> scope = uuids(errors, typed.apiIds());
            BigDecimal cap = decimal(errors, typed.spendCap());
            Instant expiresAt = endOfDay(errors, typed.expiresOn());
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            List<String> models = typed.modelIds().isEmpty()
                    ? null
                    : List.of(typed.modelIds().split("[,\\s]+")).stream().filter(m -> !m.isBlank()).toList();
            ApiKeyView key = keys.create(me.id(), typed.name(), scope.isEmpty() ? null : scope, expiresAt,
                    new ApiKeys.AiSettings(models, null, cap));
            return secret(key, false);
        } catch (ProblemException e) {
            return pages.html(e.status(), page(me, false, typed, e.detail()).render());
        }
    }

    @GET
    @Path("{id}/rotate")
    public Response confirmRotate(@PathParam("id") UUID id) {
        ApiKeyView key = mine(pages.user(), id);
        return pages.html("dashboard-confirm", "title", "Rotate API key", "message",
                "Give “" + key.name() + "” (" + key.prefix() + "…) a new secret? The current secret stops working "
                        + "at once; the new one is shown once.",
                "action", "/dashboard/keys/" + id + "/rotate", "button", "Rotate key", "back", "/dashboard/keys");
    }

    @POST
    @Path("{id}/rotate")
    public Response rotate(@PathParam("id") UUID id) {
        UserView me = pages.user();
        return secret(keys.rotate(me.id(), id), true);
    }

    @GET
    @Path("{id}/revoke")
    public Response confirmRevoke(@PathParam("id") UUID id) {
        ApiKeyView key = mine(pages.user(), id);
        return pages.html("dashboard-confirm", "title", "Revoke API key", "message",
                "Revoke “" + key.name() + "” (" + key.prefix() + "…)? The gateway refuses it from then on; this "
                        + "cannot be undone.",
                "action", "/dashboard/keys/" + id + "/revoke", "button", "Revoke key", "back", "/dashboard/keys");
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("id") UUID id) {
        UserView me = pages.user();
        keys.revoke(me.id(), id);
        return pages.redirect("/dashboard/keys", "API key revoked.");
    }

    private Response secret(ApiKeyView key, boolean rotated) {
        return pages.html("dashboard-key-secret", "keyName", key.name(), "secret", key.key(), "prefix", key.prefix(),
                "rotated", rotated);
    }

    private ApiKeyView mine(UserView me, UUID id) {
        return keys.mine(me.id(), true).stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("No API key with id " + id + "."));
    }

    private io.quarkus.qute.TemplateInstance page(UserView me, boolean showRevoked, KeyForm form, String error) {
        List<ApiKeyView> mine = keys.mine(me.id(), showRevoked);
        List<SubscriptionView> subscribed = subscriptions.mine(me.id(), false);
        Set<UUID> named = new HashSet<>();
        mine.forEach(k -> named.addAll(k.apiIds()));
        Map<UUID, ApiView> apis = catalog.summaries(named);
        Instant now = clock.instant();
        List<KeyRow> rows = mine.stream().map(k -> row(k, apis, now)).toList();
        Set<UUID> seen = new LinkedHashSet<>();
        List<ApiChoice> choices = subscribed.stream().filter(s -> seen.add(s.apiId()))
                .map(s -> new ApiChoice(s.apiId(), s.apiName(), form.checked(s.apiId()))).toList();
        return pages.template("dashboard-keys").data("keys", rows).data("showRevoked", showRevoked)
                .data("form", form).data("apis", choices).data("error", error);
    }

    private static KeyRow row(ApiKeyView k, Map<UUID, ApiView> apis, Instant now) {
        String status;
        String statusClass;
        if (k.revokedAt() != null) {
            status = "revoked";
            statusClass = "error";
        } else if (k.expiresAt() != null && !k.expiresAt().isAfter(now)) {
            status = "expired";
            statusClass = "warn";
        } else {
            status = "active";
            statusClass = "ok";
        }
        String scope = k.apiIds().isEmpty()
                ? "All subscribed APIs"
                : k.apiIds().stream().map(id -> apis.containsKey(id) ? apis.get(id).name() : id.toString())
                        .collect(Collectors.joining(", "));
        String models = k.modelIds() == null || k.modelIds().isEmpty()
                ? "All AI models"
                : String.join(", ", k.modelIds());
        return new KeyRow(k.id(), k.name(), k.prefix(), scope, models,
                k.monthlySpendCap() == null ? null : PortalFormat.money(k.monthlySpendCap(), null),
                ConsumerFormat.date(k.createdAt()), ConsumerFormat.dateTime(k.lastUsedAt()),
                ConsumerFormat.dateTime(k.expiresAt()), status, statusClass, "active".equals(status));
    }

    private static List<UUID> uuids(List<FieldError> errors, List<String> values) {
        List<UUID> ids = new ArrayList<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                ids.add(UUID.fromString(value.trim()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("api_ids", "must be ids of APIs"));
                return List.of();
            }
        }
        return ids;
    }

    private static BigDecimal decimal(List<FieldError> errors, String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            errors.add(new FieldError("monthly_spend_cap", "must be an amount such as 25 or 12.50"));
            return null;
        }
    }

    /** A key valid until the end of the given day (UTC) expires at the start of the next. */
    private static Instant endOfDay(List<FieldError> errors, String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("expires_on", "must be a date such as 2030-12-31"));
            return null;
        }
    }
}
