package dev.tollgate.portal.web;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserView;
import dev.tollgate.billing.LedgerViews;
import dev.tollgate.billing.Wallets;
import dev.tollgate.catalog.SubscriptionView;
import dev.tollgate.catalog.Subscriptions;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.metering.Analytics;
import dev.tollgate.platform.ProblemException;

/**
 * The signed-in user's home: credits, this month's calls and spend, subscriptions (cancelled after a confirmation
 * page) and links to the rest. Every role lands here after signing in.
 */
@Path("/dashboard")
@PortalPage
@Produces("text/html")
class DashboardPages {

    private final Pages pages;
    private final Wallets wallets;
    private final Subscriptions subscriptions;
    private final ApiKeys keys;
    private final Analytics analytics;
    private final Clock clock;

    DashboardPages(Pages pages, Wallets wallets, Subscriptions subscriptions, ApiKeys keys, Analytics analytics,
            Clock clock) {
        this.pages = pages;
        this.wallets = wallets;
        this.subscriptions = subscriptions;
        this.keys = keys;
        this.analytics = analytics;
        this.clock = clock;
    }

    /** A wallet as shown: balance, held (committed to calls in flight) and available. */
    record Credits(String balance, String held, String available, boolean empty) {

        static Credits of(LedgerViews.Credits credits) {
            return new Credits(PortalFormat.money(credits.balance(), credits.currency()),
                    PortalFormat.money(credits.reserved(), credits.currency()),
                    PortalFormat.money(credits.available(), credits.currency()), credits.balance().signum() == 0);
        }
    }

    /** This calendar month (UTC) so far. */
    record Month(String name, long calls, long errors, String spend) {
    }

    record SubscriptionRow(UUID id, String apiName, String apiSlug, String planName, String planType, String status,
            String statusClass, String period, String since, String gatewayUrl) {

        static SubscriptionRow of(SubscriptionView s) {
            String period = s.currentPeriodStart() == null
                    ? null
                    : ConsumerFormat.date(s.currentPeriodStart()) + " – " + ConsumerFormat.date(s.currentPeriodEnd());
            String statusClass = switch (s.status()) {
                case "active" -> "ok";
                case "past_due" -> "warn";
                default -> "error";
            };
            return new SubscriptionRow(s.id(), s.apiName() == null ? "(deleted API)" : s.apiName(), s.apiSlug(),
                    s.planName(), s.planType(), s.status(), statusClass, period, ConsumerFormat.date(s.createdAt()),
                    s.gatewayUrl());
        }
    }

    @GET
    public Response home() {
        UserView me = pages.user();
        Instant now = clock.instant();
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Analytics.Overview overview = analytics.overview(
                new Analytics.View(Analytics.Perspective.CONSUMER, null, me.id()), monthStart, now);
        Month thisMonth = new Month(month.getMonth().getDisplayName(java.time.format.TextStyle.FULL,
                java.util.Locale.ENGLISH) + " " + month.getYear(), overview.calls(), overview.errors(),
                PortalFormat.money(overview.spend().total(), overview.spend().currency()));
        List<SubscriptionRow> rows = subscriptions.mine(me.id(), false).stream().map(SubscriptionRow::of).toList();
        return pages.html("dashboard", "credits", Credits.of(wallets.credits(me.id())), "month", thisMonth,
                "subscriptions", rows, "keyCount", keys.mine(me.id(), false).size(), "provider",
                me.hasRole(Role.PROVIDER) || me.hasRole(Role.ADMIN));
    }

    @GET
    @Path("subscriptions/{id}/cancel")
    public Response confirmCancel(@PathParam("id") UUID id) {
        UserView me = pages.user();
        SubscriptionView subscription = subscriptions.mine(me.id(), false).stream().filter(s -> s.id().equals(id))
                .findFirst().orElseThrow(() -> ProblemException.notFound("You have no active subscription with id "
                        + id + "."));
        return pages.html("dashboard-confirm", "title", "Cancel subscription", "message",
                "Cancel your subscription to " + subscription.apiName() + " (" + subscription.planName()
                        + ")? Calls with it are refused from then on; you can subscribe again later.",
                "action", "/dashboard/subscriptions/" + id + "/cancel", "button", "Cancel subscription", "back",
                "/dashboard");
    }

    @POST
    @Path("subscriptions/{id}/cancel")
    public Response cancel(@PathParam("id") UUID id) {
        UserView me = pages.user();
        subscriptions.cancel(me.id(), id);
        return pages.redirect("/dashboard", "Subscription cancelled.");
    }
}
