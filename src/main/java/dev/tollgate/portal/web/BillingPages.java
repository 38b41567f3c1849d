package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.accounts.Tier;
import dev.tollgate.accounts.UserView;
import dev.tollgate.billing.LedgerViews;
import dev.tollgate.billing.StripeSubscriptions;
import dev.tollgate.billing.StripeTopUps;
import dev.tollgate.billing.Wallets;
import dev.tollgate.platform.ProblemException;
import io.quarkus.qute.TemplateInstance;

/**
 * Credits and payments: the wallet, top-ups through Stripe Checkout (the same service as
 * {@code POST /api/v1/billing/checkout}; Stripe sends the user back here), the ledger lines with the balance after
 * each, the account tier's Stripe subscription (subscribe, cancel at the period end, reactivate) and the invoices.
 */
@Path("/billing")
@PortalPage
@Produces("text/html")
class BillingPages {

    static final int PAGE_SIZE = 25;
    /** What Stripe's return URLs say, shown once on the page they lead to. */
    static final Map<String, String> RETURNS = Map.of(
            "paid", "Thank you — your payment went through. The credits appear here as soon as Stripe confirms it.",
            "subscribed", "Thank you — your tier changes as soon as Stripe confirms the subscription.",
            "cancelled", "Checkout cancelled; nothing was charged.");

    private final Pages pages;
    private final Wallets wallets;
    private final StripeTopUps topUps;
    private final StripeSubscriptions tiers;

    BillingPages(Pages pages, Wallets wallets, StripeTopUps topUps, StripeSubscriptions tiers) {
        this.pages = pages;
        this.wallets = wallets;
        this.topUps = topUps;
        this.tiers = tiers;
    }

    /** A ledger line as shown. */
    record LineRow(String date, String type, String description, String account, String amount, boolean credit,
            String balanceAfter) {
    }

    /** The tier subscription as shown. */
    record TierRow(String tier, String status, String period, String periodEnd, boolean cancelAtPeriodEnd,
            boolean live, String price) {
    }

    /** A paid tier on sale. */
    record TierOffer(String tier, String price, boolean current) {
    }

    record InvoiceRow(String id, String created, String amountDue, String amountPaid, String status, String url,
            String pdf) {
    }

    /** Errors of the page's forms (null: none). */
    record Errors(String topUp, String tier) {

        static final Errors NONE = new Errors(null, null);
    }

    @GET
    public Response billing(@RestQuery Integer page, @RestQuery String checkout) {
        UserView me = pages.user();
        TemplateInstance view = page(me, page == null ? 1 : page, "", Errors.NONE);
        if (checkout != null && RETURNS.containsKey(checkout)) {
            view.data("notice", RETURNS.get(checkout));
        }
        return pages.html(view);
    }

    @POST
    @Path("topup")
    public Response topUp(@RestForm String amount, @Context UriInfo uri) {
        UserView me = pages.user();
        String typed = amount == null ? "" : amount.trim();
        try {
            BigDecimal value;
            try {
                value = new BigDecimal(typed.startsWith("$") ? typed.substring(1) : typed);
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("amount", "must be an amount such as 20 or 12.50");
            }
            String origin = origin(uri);
            StripeTopUps.Checkout session = topUps.checkout(me.id(), value, origin + "/billing?checkout=paid",
                    origin + "/billing?checkout=cancelled");
            return pages.redirect(session.url(), null);
        } catch (ProblemException e) {
            return pages.html(e.status(), page(me, 1, typed, new Errors(e.detail(), null)).render());
        }
    }

    @POST
    @Path("tier")
    public Response subscribe(@RestForm String tier, @Context UriInfo uri) {
        UserView me = pages.user();
        try {
            String origin = origin(uri);
            StripeTopUps.Checkout session = tiers.checkout(me.id(), tier, origin + "/billing?checkout=subscribed",
                    origin + "/billing?checkout=cancelled");
            return pages.redirect(session.url(), null);
        } catch (ProblemException e) {
            return pages.html(e.status(), page(me, 1, "", new Errors(null, e.detail())).render());
        }
    }

    @GET
    @Path("tier/cancel")
    public Response confirmCancel() {
        UserView me = pages.user();
        StripeSubscriptions.SubscriptionView current = tiers.current(me.id());
        return pages.html("dashboard-confirm", "title", "Cancel your " + current.tier() + " tier", "message",
                "Cancel your " + current.tier() + " subscription? It ends at the end of the paid period"
                        + (current.currentPeriodEnd() == null
                                ? ""
                                : " (" + ConsumerFormat.date(current.currentPeriodEnd()) + ")")
                        + "; until then you keep the tier and can reactivate it.",
                "action", "/billing/tier/cancel", "button", "Cancel subscription", "back", "/billing#tier");
    }

    @POST
    @Path("tier/cancel")
    public Response cancel() {
        UserView me = pages.user();
        try {
            StripeSubscriptions.SubscriptionView ended = tiers.cancel(me.id(), false);
            return pages.redirect("/billing#tier", "Your " + ended.tier() + " subscription ends "
                    + (ended.currentPeriodEnd() == null
                            ? "at the end of the period"
                            : "on "
                                    + ConsumerFormat.date(ended.currentPeriodEnd()))
                    + ".");
        } catch (ProblemException e) {
            return pages.html(e.status(), page(me, 1, "", new Errors(null, e.detail())).render());
        }
    }

    @POST
    @Path("tier/reactivate")
    public Response reactivate() {
        UserView me = pages.user();
        try {
            StripeSubscriptions.SubscriptionView kept = tiers.reactivate(me.id());
            return pages.redirect("/billing#tier", "Your " + kept.tier() + " subscription continues.");
        } catch (ProblemException e) {
            return pages.html(e.status(), page(me, 1, "", new Errors(null, e.detail())).render());
        }
    }

    private TemplateInstance page(UserView me, int pageNumber, String amount, Errors errors) {
        int number = Pages.pageNumber(pageNumber);
        LedgerViews.Credits credits = wallets.credits(me.id());
        Wallets.Statement statement = wallets.statement(me.id(), (number - 1) * PAGE_SIZE, PAGE_SIZE);
        List<LineRow> lines = statement.lines().stream().map(s -> {
            LedgerViews.Line l = s.line();
            return new LineRow(ConsumerFormat.dateTime(l.createdAt()), l.type(), l.description(),
                    l.account().replace('_', ' '), PortalFormat.money(l.amount(), l.currency()),
                    l.amount().signum() > 0, PortalFormat.money(s.balanceAfter(), l.currency()));
        }).toList();
        long pageCount = Math.max(1, (statement.total() + PAGE_SIZE - 1) / PAGE_SIZE);

        TierRow tier = null;
        try {
            StripeSubscriptions.SubscriptionView s = tiers.current(me.id());
            boolean live = List.of("active", "trialing", "past_due").contains(s.status());
            tier = new TierRow(s.tier(), s.status(),
                    s.currentPeriodStart() == null
                            ? null
                            : ConsumerFormat.date(s.currentPeriodStart()) + " – "
                                    + ConsumerFormat.date(s.currentPeriodEnd()),
                    ConsumerFormat.date(s.currentPeriodEnd()), s.cancelAtPeriodEnd(), live,
                    PortalFormat.money(s.price(), s.currency()));
        } catch (ProblemException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        List<TierOffer> offers = tiers.prices().entrySet().stream()
                .map(e -> new TierOffer(e.getKey().id(), PortalFormat.money(e.getValue(), credits.currency()),
                        e.getKey().id().equals(me.plan())))
                .toList();

        List<InvoiceRow> invoices = List.of();
        String paymentsProblem = null;
        try {
            invoices = tiers.invoices(me.id(), 10).stream()
                    .map(i -> new InvoiceRow(i.id(), ConsumerFormat.date(i.created()),
                            PortalFormat.money(i.amountDue(), i.currency()),
                            PortalFormat.money(i.amountPaid(), i.currency()), i.status(), i.hostedInvoiceUrl(),
                            i.invoicePdf()))
                    .toList();
        } catch (ProblemException e) {
            paymentsProblem = e.detail();
        }
        return pages.template("billing").data("credits", DashboardPages.Credits.of(credits))
                .data("lines", lines).data("page", number).data("pages", pageCount)
                .data("prevPage", number > 1 ? number - 1 : null)
                .data("nextPage", number < pageCount ? number + 1 : null).data("total", statement.total())
                .data("currentTier", me.plan() == null ? Tier.FREE.id() : me.plan()).data("tier", tier)
                .data("offers", offers).data("invoices", invoices).data("paymentsProblem", paymentsProblem)
                .data("amount", amount).data("errors", errors);
    }

    /** Scheme, host and port the user reached us at (forwarded headers count where enabled): Stripe sends them back. */
    private static String origin(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
