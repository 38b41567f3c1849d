package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.Tier;
import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.accounts.UserView;
import dev.tollgate.billing.Ledger;
import dev.tollgate.billing.LedgerViews;
import dev.tollgate.billing.Payouts;
import dev.tollgate.billing.Wallets;
import dev.tollgate.marketplace.ListingView;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.metering.Analytics;
import dev.tollgate.notifications.Feedback;
import dev.tollgate.platform.ProblemException;
import io.quarkus.qute.TemplateInstance;

/**
 * The admin pages: an overview, users (roles, tier, suspension), credit grants, payouts to decide, feedback and
 * featured listings. Admins only (everyone else gets the 403 page, also for every form); each form calls the same
 * service as the admin API, so the same rules apply (an admin cannot suspend themselves or drop their own admin role).
 * AI models are {@link AdminModelPages}.
 */
@Path("/admin")
@PortalPage
@Produces("text/html")
class AdminPages {

    static final int USERS_PER_PAGE = 25;
    static final int LISTINGS_PER_PAGE = 50;
    static final int FEEDBACK_SHOWN = 100;
    static final int PAYOUTS_SHOWN = 100;
    static final int GRANTS_SHOWN = 20;

    private final Pages pages;
    private final UserDirectory users;
    private final Wallets wallets;
    private final Ledger ledger;
    private final Payouts payouts;
    private final Feedback feedback;
    private final Marketplace marketplace;
    private final Analytics analytics;
    private final Clock clock;

    AdminPages(Pages pages, UserDirectory users, Wallets wallets, Ledger ledger, Payouts payouts, Feedback feedback,
            Marketplace marketplace, Analytics analytics, Clock clock) {
        this.pages = pages;
        this.users = users;
        this.wallets = wallets;
        this.ledger = ledger;
        this.payouts = payouts;
        this.feedback = feedback;
        this.marketplace = marketplace;
        this.analytics = analytics;
        this.clock = clock;
    }

    private UserView admin() {
        return pages.user(Role.ADMIN);
    }

    // --- overview ---------------------------------------------------------------------------------------------------

    /** The platform at a glance; money already formatted. */
    record Overview(long users, long providers, long listings, long callsToday,
            long errorsToday, String revenueToday, String revenueTotal, long pendingPayouts, String pendingAmount,
            long pendingFeedback, boolean moreFeedback, boolean balanced) {
    }

    @GET
    public Response overview() {
        admin();
        Instant now = clock.instant();
        Instant dayStart = now.truncatedTo(ChronoUnit.DAYS);
        Instant nextMinute = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        long calls = 0;
        long errors = 0;
        BigDecimal revenueToday = BigDecimal.ZERO;
        for (Analytics.PlatformMinute minute : analytics.platform(dayStart, nextMinute)) {
            calls += minute.calls();
            errors += minute.errors();
            revenueToday = revenueToday.add(minute.revenue());
        }
        LedgerViews.Summary money = ledger.summary();
        BigDecimal revenueTotal = money.kinds().stream().filter(k -> k.kind().equals("platform_revenue"))
                .map(LedgerViews.KindTotal::balance).findFirst().orElse(BigDecimal.ZERO);
        List<Payouts.PayoutView> pending = payouts.of(null, "pending", 0, 1000);
        BigDecimal pendingAmount = pending.stream().map(Payouts.PayoutView::amount).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        int feedbackShown = feedback.all("pending", 0, 200).size();
        long listings = marketplace.browse(new Marketplace.Browse(null, null, List.of(), null, null, "newest", 0, 1))
                .total();
        Overview overview = new Overview(users.list(null, null, 0, 1).total(),
                users.list(null, Role.PROVIDER, 0, 1).total(), listings, calls, errors,
                PortalFormat.money(revenueToday, money.currency()), PortalFormat.money(revenueTotal, money.currency()),
                pending.size(), PortalFormat.money(pendingAmount, money.currency()), feedbackShown,
                feedbackShown >= 200,
                money.balanced());
        return pages.html("admin", "overview", overview);
    }

    // --- users ------------------------------------------------------------------------------------------------------

    /** One user in the list; {@code self} is the signed-in admin (who cannot suspend themselves). */
    record UserRow(UserView user, String created, boolean self) {
    }

    /** The users page: filters, one page of users and links to the neighbouring pages (null at the ends). */
    record UserList(String email, String role, List<UserRow> rows, long total, long first, long last, String previous,
            String next, String here) {
    }

    @GET
    @Path("users")
    public Response users(@RestQuery String email, @RestQuery String role, @RestQuery Integer page) {
        UserView me = admin();
        return pages.html(usersPage(me, email, role, page, null));
    }

    private TemplateInstance usersPage(UserView me, String email, String role, Integer page, String error) {
        Role roleFilter = AdminFormats.blank(role) ? null : Role.parse(role).orElse(null);
        String emailFilter = AdminFormats.blank(email) ? null : email.trim().toLowerCase(java.util.Locale.ROOT);
        int pageNo = Pages.pageNumber(page);
        UserDirectory.Page found = users.list(emailFilter, roleFilter, (pageNo - 1) * USERS_PER_PAGE,
                USERS_PER_PAGE);
        List<UserRow> rows = found.users().stream()
                .map(u -> new UserRow(u, AdminFormats.time(u.createdAt()), u.id().equals(me.id()))).toList();
        String filters = "email=" + AdminFormats.query(emailFilter) + "&role="
                + AdminFormats.query(roleFilter == null ? "" : roleFilter.id());
        long first = found.total() == 0 ? 0 : (long) (pageNo - 1) * USERS_PER_PAGE + 1;
        long last = (long) (pageNo - 1) * USERS_PER_PAGE + rows.size();
        String previous = pageNo > 1 ? "/admin/users?" + filters + "&page=" + (pageNo - 1) : null;
        String next = last < found.total() ? "/admin/users?" + filters + "&page=" + (pageNo + 1) : null;
        String here = "/admin/users?" + filters + "&page=" + pageNo;
        return pages.template("admin-users").data("list", new UserList(emailFilter == null ? "" : emailFilter,
                roleFilter == null ? "" : roleFilter.id(), rows, found.total(), first, last, previous, next, here))
                .data("error", error);
    }

    /** One user with their credits, for the edit form. */
    record UserDetail(UserView user, String created, boolean self, String credits, boolean consumer,
            boolean provider, boolean admin) {
    }

    @GET
    @Path("users/{id}")
    public Response user(@PathParam("id") String id) {
        UserView me = admin();
        return pages.html(userPage(me, uuid(id, "user"), null));
    }

    private TemplateInstance userPage(UserView me, UUID id, String error) {
        UserView user = users.get(id);
        LedgerViews.Credits credits = wallets.credits(id);
        return pages.template("admin-user").data("detail", new UserDetail(user, AdminFormats.time(user.createdAt()),
                user.id().equals(me.id()), PortalFormat.money(credits.balance(), credits.currency()),
                user.hasRole(Role.CONSUMER), user.hasRole(Role.PROVIDER), user.hasRole(Role.ADMIN)))
                .data("error", error);
    }

    @POST
    @Path("users/{id}")
    public Response updateUser(@PathParam("id") String id, @RestForm List<String> roles, @RestForm String plan) {
        UserView me = admin();
        UUID userId = uuid(id, "user");
        try {
            List<Role> parsed = new ArrayList<>();
            for (String role : roles == null ? List.<String>of() : roles) {
                parsed.add(Role.parse(role).orElseThrow(() -> ProblemException.invalid("roles",
                        "'" + role + "' is not one of consumer, provider, admin")));
            }
            if (parsed.isEmpty()) {
                throw ProblemException.invalid("roles", "choose at least one role");
            }
            Tier tier = AdminFormats.blank(plan)
                    ? null
                    : Tier.parse(plan).orElseThrow(() -> ProblemException.invalid("tier",
                            "must be free, pro or enterprise"));
            UserView changed = users.update(me.id(), userId, new UserDirectory.UserChange(parsed, null, tier));
            return pages.redirect("/admin/users/" + userId, "Saved " + changed.username() + ".");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return pages.html(e.status(), userPage(me, userId, e.detail()).render());
        }
    }

    @POST
    @Path("users/{id}/suspend")
    public Response suspend(@PathParam("id") String id, @RestForm String back) {
        return setSuspended(id, true, back);
    }

    @POST
    @Path("users/{id}/unsuspend")
    public Response unsuspend(@PathParam("id") String id, @RestForm String back) {
        return setSuspended(id, false, back);
    }

    private Response setSuspended(String id, boolean suspended, String back) {
        UserView me = admin();
        UUID userId = uuid(id, "user");
        try {
            UserView changed = users.update(me.id(), userId, new UserDirectory.UserChange(null, suspended, null));
            return pages.redirect(AdminFormats.back(back, "/admin/users/" + userId), changed.username()
                    + (suspended ? " is suspended: their sign-ins have ended." : " may sign in again."));
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return pages.html(e.status(), userPage(me, userId, e.detail()).render());
        }
    }

    // --- credits ----------------------------------------------------------------------------------------------------

    /** The grant form as typed; {@code key} makes a double submit grant once. */
    record GrantForm(String user, String amount, String reason, String key) {
    }

    /** A grant in the recent list: who got it (username, or the id when deleted), amount and reason. */
    record GrantRow(String user, UUID userId, String amount, String reason, String by, String at) {
    }

    @GET
    @Path("credits")
    public Response credits(@RestQuery String user) {
        admin();
        return pages.html(creditsPage(new GrantForm(user == null ? "" : user, "", "", UUID.randomUUID().toString()),
                null));
    }

    private TemplateInstance creditsPage(GrantForm form, String error) {
        List<Wallets.Grant> grants = wallets.recentGrants(GRANTS_SHOWN);
        List<UUID> ids = new ArrayList<>();
        grants.forEach(g -> {
            if (g.userId() != null) {
                ids.add(g.userId());
            }
            if (g.grantedBy() != null) {
                ids.add(g.grantedBy());
            }
        });
        Map<UUID, String> names = users.usernames(ids);
        List<GrantRow> rows = grants.stream().map(g -> new GrantRow(
                g.userId() == null ? "—" : names.getOrDefault(g.userId(), g.userId().toString()), g.userId(),
                PortalFormat.money(g.amount(), g.currency()),
                g.description().startsWith("Grant: ") ? g.description().substring(7) : g.description(),
                g.grantedBy() == null ? "—" : names.getOrDefault(g.grantedBy(), g.grantedBy().toString()),
                AdminFormats.time(g.createdAt()))).toList();
        return pages.template("admin-credits").data("form", form).data("grants", rows).data("error", error);
    }

    @POST
    @Path("credits")
    public Response grant(@RestForm String user, @RestForm String amount, @RestForm String reason,
            @RestForm String key) {
        UserView me = admin();
        GrantForm typed = new GrantForm(user == null ? "" : user.trim(), amount == null ? "" : amount.trim(),
                reason == null ? "" : reason.trim(),
                AdminFormats.blank(key) || key.length() > 100 ? UUID.randomUUID().toString() : key);
        try {
            UserView to = findUser(typed.user());
            BigDecimal parsed;
            if (typed.amount().isEmpty()) {
                throw ProblemException.invalid("amount", "enter how much to grant, e.g. 25 or 12.50");
            }
            try {
                parsed = new BigDecimal(typed.amount().replace("$", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("amount", "must be a number such as 25 or 12.50");
            }
            Ledger.Posted posted = wallets.grant(me.id(), to.id(), parsed, typed.reason(), "portal:" + typed.key());
            String given = PortalFormat.money(parsed, ledger.currency());
            return pages.redirect("/admin/credits", posted.replayed()
                    ? "That grant was already made (" + given + " to " + to.username() + ")."
                    : "Granted " + given + " to " + to.username() + ".");
        } catch (ProblemException e) {
            return pages.html(e.status(), creditsPage(typed, e.detail()).render());
        }
    }

    /** By id, username or e-mail address; a form error otherwise. */
    private UserView findUser(String typed) {
        if (typed.isEmpty()) {
            throw ProblemException.invalid("user", "enter the user's e-mail address, username or id");
        }
        try {
            UUID id = UUID.fromString(typed);
            return users.get(id);
        } catch (IllegalArgumentException notAnId) {
            Optional<UserView> found = users.byLogin(typed);
            return found.orElseThrow(() -> ProblemException.invalid("user", "no user with the username or e-mail "
                    + "address '" + typed + "'"));
        } catch (ProblemException missing) {
            throw ProblemException.invalid("user", "no user with id " + typed);
        }
    }

    // --- payouts ----------------------------------------------------------------------------------------------------

    /** A payout with its provider's name and formatted amount and times. */
    record PayoutRow(Payouts.PayoutView payout, String provider, String amount, String requested, String decided,
            boolean pending) {
    }

    @GET
    @Path("payouts")
    public Response payouts() {
        admin();
        return pages.html(payoutsPage(null));
    }

    private TemplateInstance payoutsPage(String error) {
        // every open payout (however old), then the newest decided ones
        List<Payouts.PayoutView> all = new ArrayList<>(payouts.of(null, "pending", 0, 1_000));
        all.addAll(payouts.of(null, "processing", 0, 1_000));
        payouts.of(null, null, 0, PAYOUTS_SHOWN).stream()
                .filter(p -> !p.status().equals("pending") && !p.status().equals("processing")).forEach(all::add);
        Map<UUID, String> names = users.usernames(all.stream().map(Payouts.PayoutView::providerId).toList());
        List<PayoutRow> open = new ArrayList<>();
        List<PayoutRow> history = new ArrayList<>();
        for (Payouts.PayoutView p : all) {
            PayoutRow row = new PayoutRow(p, names.getOrDefault(p.providerId(), p.providerId().toString()),
                    PortalFormat.money(p.amount(), p.currency()), AdminFormats.time(p.createdAt()),
                    AdminFormats.time(p.decidedAt()), p.status().equals("pending"));
            if (p.status().equals("pending") || p.status().equals("processing")) {
                open.add(row);
            } else {
                history.add(row);
            }
        }
        return pages.template("admin-payouts").data("open", open).data("history", history).data("error", error);
    }

    @POST
    @Path("payouts/{id}/approve")
    public Response approve(@PathParam("id") String id, @RestForm String reference) {
        UserView me = admin();
        UUID payoutId = uuid(id, "payout");
        try {
            Payouts.PayoutView paid = payouts.approve(me.id(), payoutId,
                    AdminFormats.blank(reference) ? null : reference.trim());
            return pages.redirect("/admin/payouts", "Payout of " + PortalFormat.money(paid.amount(), paid.currency())
                    + " paid (reference " + paid.reference() + ").");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return pages.html(e.status(), payoutsPage(e.detail()).render());
        }
    }

    @POST
    @Path("payouts/{id}/reject")
    public Response reject(@PathParam("id") String id, @RestForm String note) {
        UserView me = admin();
        UUID payoutId = uuid(id, "payout");
        try {
            Payouts.PayoutView rejected = payouts.reject(me.id(), payoutId, AdminFormats.blank(note) ? null : note);
            return pages.redirect("/admin/payouts", "Payout of "
                    + PortalFormat.money(rejected.amount(), rejected.currency())
                    + " rejected; the amount is back in the provider's earnings.");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return pages.html(e.status(), payoutsPage(e.detail()).render());
        }
    }

    // --- feedback ---------------------------------------------------------------------------------------------------

    /** Feedback with its author's name. */
    record FeedbackRow(Feedback.FeedbackView item, String author, String sent) {
    }

    @GET
    @Path("feedback")
    public Response feedback(@RestQuery String status) {
        admin();
        return pages.html(feedbackPage(status, null));
    }

    private TemplateInstance feedbackPage(String status, String error) {
        String filter = status != null && Feedback.STATUSES.contains(status) ? status : "";
        List<Feedback.FeedbackView> items = feedback.all(filter.isEmpty() ? null : filter, 0, FEEDBACK_SHOWN);
        Map<UUID, String> names = users.usernames(items.stream().map(Feedback.FeedbackView::userId).toList());
        List<FeedbackRow> rows = items.stream().map(f -> new FeedbackRow(f,
                names.getOrDefault(f.userId(), "a deleted user"), AdminFormats.time(f.createdAt()))).toList();
        return pages.template("admin-feedback").data("status", filter).data("items", rows).data("error", error);
    }

    @POST
    @Path("feedback/{id}")
    public Response answerFeedback(@PathParam("id") String id, @RestForm String status, @RestForm String response,
            @RestForm String back) {
        admin();
        UUID feedbackId = uuid(id, "feedback");
        try {
            feedback.answer(feedbackId, AdminFormats.blank(status) ? null : status,
                    AdminFormats.blank(response) ? null : response);
            return pages.redirect(AdminFormats.back(back, "/admin/feedback"), "Feedback updated; its author is told.");
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return pages.html(e.status(), feedbackPage(null, e.detail()).render());
        }
    }

    // --- featured listings ------------------------------------------------------------------------------------------

    /** One page of listings, with the search and links to the neighbouring pages. */
    record ListingPage(String q, List<ListingView> items, long total, String previous, String next, String here) {
    }

    @GET
    @Path("featured")
    public Response featured(@RestQuery String q, @RestQuery Integer page) {
        admin();
        String search = AdminFormats.blank(q) ? null : q.trim();
        if (search != null && search.length() > 200) {
            search = search.substring(0, 200);
        }
        int pageNo = Pages.pageNumber(page);
        Marketplace.Page found = marketplace.browse(new Marketplace.Browse(search, null, List.of(), null, null,
                search == null ? "newest" : "relevance", (pageNo - 1) * LISTINGS_PER_PAGE, LISTINGS_PER_PAGE));
        String filters = "q=" + AdminFormats.query(search);
        String previous = pageNo > 1 ? "/admin/featured?" + filters + "&page=" + (pageNo - 1) : null;
        String next = (long) pageNo * LISTINGS_PER_PAGE < found.total()
                ? "/admin/featured?" + filters + "&page=" + (pageNo + 1)
                : null;
        return pages.html("admin-featured", "listings", new ListingPage(search == null ? "" : search, found.items(),
                found.total(), previous, next, "/admin/featured?" + filters + "&page=" + pageNo));
    }

    @POST
    @Path("featured/{listing}/feature")
    public Response feature(@PathParam("listing") String listing, @RestForm String back) {
        admin();
        ListingView shown = marketplace.setFeatured(listing, true);
        return pages.redirect(AdminFormats.back(back, "/admin/featured"), shown.title() + " is featured.");
    }

    @POST
    @Path("featured/{listing}/unfeature")
    public Response unfeature(@PathParam("listing") String listing, @RestForm String back) {
        admin();
        ListingView shown = marketplace.setFeatured(listing, false);
        return pages.redirect(AdminFormats.back(back, "/admin/featured"), shown.title() + " is no longer featured.");
    }

    static UUID uuid(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No " + what + " with id " + id + ".");
        }
    }
}
