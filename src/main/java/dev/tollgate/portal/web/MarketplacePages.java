package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tollgate.accounts.Role;
import dev.tollgate.accounts.UserView;
import dev.tollgate.catalog.EndpointView;
import dev.tollgate.catalog.PlanView;
import dev.tollgate.catalog.SubscriptionView;
import dev.tollgate.catalog.Subscriptions;
import dev.tollgate.marketplace.ListingDetail;
import dev.tollgate.marketplace.ListingView;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.marketplace.Reviews;
import dev.tollgate.marketplace.SavedApis;
import dev.tollgate.models.ModelCatalogue;
import dev.tollgate.platform.ProblemException;
import io.quarkus.qute.Engine;

/**
 * The marketplace for people: {@code /marketplace} (search, filters, sort, pages; the results alone for htmx) and a
 * listing's page {@code /marketplace/{slug}} (plans, endpoints, reviews, the try-it console and snippets to copy),
 * with its forms: subscribe, save and unsave, review. Reads come from the marketplace's in-memory snapshot: a results
 * page renders one page of listings, never all of them.
 */
@Path("/marketplace")
@PortalPage
@Produces("text/html")
class MarketplacePages {

    static final int PAGE_SIZE = 20;
    private static final int REVIEWS_SHOWN = 20;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final Map<String, String> SORTS = sorts();

    private final Pages pages;
    private final Engine engine;
    private final Marketplace marketplace;
    private final Reviews reviews;
    private final SavedApis saved;
    private final Subscriptions subscriptions;

    MarketplacePages(Pages pages, Engine engine, Marketplace marketplace, Reviews reviews, SavedApis saved,
            Subscriptions subscriptions) {
        this.pages = pages;
        this.engine = engine;
        this.marketplace = marketplace;
        this.reviews = reviews;
        this.saved = saved;
        this.subscriptions = subscriptions;
    }

    private static Map<String, String> sorts() {
        Map<String, String> sorts = new LinkedHashMap<>();
        sorts.put("relevance", "Relevance");
        sorts.put("popular", "Most popular");
        sorts.put("rating", "Best rated");
        sorts.put("newest", "Newest");
        sorts.put("price", "Lowest price");
        return sorts;
    }

    // --- browse and search ------------------------------------------------------------------------------------------

    /** What the visitor asked for; blank fields are left out of links. */
    record Filters(String q, String category, String pricing, String sort, int page) {

        /** This search on another page ({@code /marketplace?q=…&page=2}). */
        String url(int toPage) {
            StringBuilder url = new StringBuilder("/marketplace");
            char sep = '?';
            for (String[] pair : new String[][]{{"q", q}, {"category", category}, {"pricing", pricing},
                    {"sort", "relevance".equals(sort) ? null : sort}, {"page", toPage > 1 ? "" + toPage : null}}) {
                if (pair[1] != null && !pair[1].isBlank()) {
                    url.append(sep).append(pair[0]).append('=')
                            .append(URLEncoder.encode(pair[1], StandardCharsets.UTF_8));
                    sep = '&';
                }
            }
            return url.toString();
        }
    }

    /** One result: the title and description as HTML (escaped here, with the search's {@code <mark>}s). */
    record Card(String slug, String kind, String titleHtml, String descriptionHtml, String provider, String category,
            String rating, long reviewCount, String subscribers, String price, List<String> pricing,
            boolean featured) {
    }

    /** A choice of a select; {@code selected} when it is the one in force. */
    record Option(String value, String label, boolean selected) {
    }

    /** A page of results with what the pager and the heading need. */
    record Results(List<Card> cards, long total, String summary, int page, int pages, String previousUrl,
            String nextUrl, String error, String clearUrl) {
    }

    @GET
    public Response browse(@RestQuery String q, @RestQuery String category, @RestQuery String pricing,
            @RestQuery String sort, @RestQuery String page, @Context HttpHeaders headers) {
        Filters filters = new Filters(trim(q), trim(category), trim(pricing),
                sort == null || sort.isBlank() ? "relevance" : sort.trim(), pageNumber(page));
        Results results = search(filters);
        String fragment = engine.getTemplate("portal/marketplace_results").data("results", results).render();
        if (pages.htmx() && headers.getHeaderString("HX-History-Restore-Request") == null) {
            return pages.html(results.error() == null ? 200 : 422, fragment);
        }
        List<Option> categories = new ArrayList<>();
        categories.add(new Option("", "All categories", filters.category() == null));
        marketplace.categories().forEach(c -> categories.add(new Option(c.category(), c.category() + " ("
                + c.listings() + ")", c.category().equals(filters.category()))));
        if (filters.category() != null && categories.stream().noneMatch(Option::selected)) {
            categories.add(new Option(filters.category(), filters.category() + " (0)", true));
        }
        List<Option> pricings = new ArrayList<>();
        pricings.add(new Option("", "Any pricing", filters.pricing() == null));
        Marketplace.PRICING.stream().sorted().forEach(p -> pricings.add(new Option(p, MarketplaceText.pricing(p),
                p.equals(filters.pricing()))));
        List<Option> sorts = SORTS.entrySet().stream()
                .map(e -> new Option(e.getKey(), e.getValue(), e.getKey().equals(filters.sort()))).toList();
        return pages.html(results.error() == null ? 200 : 422, pages.template("marketplace").data("filters", filters)
                .data("categories", categories).data("pricings", pricings).data("sorts", sorts)
                .data("results", fragment).render());
    }

    private Results search(Filters f) {
        int skip = (f.page() - 1) * PAGE_SIZE;
        Marketplace.Page found;
        try {
            found = marketplace.browse(new Marketplace.Browse(f.q(), f.category(), List.of(), f.pricing(), null,
                    f.sort(), skip, PAGE_SIZE));
        } catch (ProblemException e) {
            return new Results(List.of(), 0, "", 1, 1, null, null, e.detail(), "/marketplace");
        }
        List<Card> cards = found.items().stream().map(MarketplacePages::card).toList();
        int pages = (int) Math.max(1, (found.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        String summary = found.total() == 0
                ? ""
                : found.total() == 1
                        ? "1 result"
                        : MarketplaceText.count(found.total()) + " results"
                                + (pages > 1 ? ", page " + f.page() + " of " + pages : "");
        return new Results(cards, found.total(), summary, f.page(), pages,
                f.page() > 1 ? f.url(Math.min(f.page() - 1, pages)) : null,
                f.page() < pages ? f.url(f.page() + 1) : null, null, "/marketplace");
    }

    private static Card card(ListingView l) {
        Map<String, String> marked = l.highlights() == null ? Map.of() : l.highlights();
        String title = marked.containsKey("title") ? marked.get("title") : MarketplaceText.escape(l.title());
        String description = marked.containsKey("description")
                ? marked.get("description")
                : MarketplaceText.escape(l.description());
        String price = l.minPrice() == null
                ? null
                : "model".equals(l.kind())
                        ? MarketplaceText.money(l.minPrice()) + " / 1M input tokens"
                        : l.minPrice().signum() == 0 ? "Free plan" : "From " + MarketplaceText.money(l.minPrice());
        return new Card(l.slug(), l.kind(), title, description, l.provider().username(), l.category(),
                rating(l.rating()), l.reviewCount(), MarketplaceText.count(l.subscriberCount()), price,
                MarketplaceText.pricing(l.pricingTypes()), l.featured());
    }

    private static String rating(BigDecimal rating) {
        return rating == null ? null : rating.setScale(1, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    // --- one listing ------------------------------------------------------------------------------------------------

    record PlanRow(String id, String name, String type, String price, String limits, boolean current) {
    }

    record Param(String name, String in, boolean required, String type, String description) {
    }

    record Endpoint(String method, String path, String summary, String description, boolean deprecated,
            List<Param> params) {
    }

    record ReviewRow(String username, int rating, String stars, String comment, String reply, String date) {
    }

    record Snippet(String id, String title, String language, String code) {
    }

    record ModelInfo(String id, String type, String providers, String input, String output, String cached,
            String maxOutput) {
    }

    /** The try-it console's starting point: the base it sends to and a first request. */
    record Console(String base, String method, String path, String body) {
    }

    /** Everything the listing's page shows. */
    record ListingPage(ListingView listing, String rating, String about, String version, String gatewayUrl,
            List<PlanRow> plans, List<Endpoint> endpoints, ModelInfo model, List<Snippet> snippets,
            List<ReviewRow> reviews, long reviewTotal, boolean saved, String subscribedPlan, boolean owner,
            boolean canReview, Console console) {

        public boolean forModel() {
            return "model".equals(listing.kind());
        }
    }

    /** What was typed into the review form, shown again with its error. */
    record ReviewForm(String rating, String comment) {
    }

    @GET
    @Path("{slug}")
    public Response listing(@RestPath String slug, @Context UriInfo uri) {
        return listingPage(slug, uri, 200, null, null);
    }

    @POST
    @Path("{slug}/subscribe")
    public Response subscribe(@RestPath String slug, @RestForm("plan_id") String planId, @Context UriInfo uri) {
        ListingDetail detail = marketplace.detail(slug, origin(uri));
        UserView me = pages.signedInUser();
        if (me == null) {
            return signInFirst(slug, "Sign in to subscribe to " + detail.listing().title() + ".");
        }
        try {
            UUID plan = uuid(planId, "Choose a plan to subscribe to.");
            SubscriptionView subscription = subscriptions.subscribe(me.id(), detail.listing().apiId(), plan);
            return pages.redirect("/marketplace/" + slug, "You subscribe to " + detail.listing().title() + " on the "
                    + subscription.planName() + " plan. Call it with one of your API keys (Dashboard → Keys).");
        } catch (ProblemException e) {
            return listingPage(slug, uri, e.status(), e.detail(), null);
        }
    }

    @POST
    @Path("{slug}/save")
    public Response save(@RestPath String slug, @Context UriInfo uri) {
        ListingDetail detail = marketplace.detail(slug, origin(uri));
        UserView me = pages.signedInUser();
        if (me == null) {
            return signInFirst(slug, "Sign in to save " + detail.listing().title() + ".");
        }
        saved.save(me.id(), detail.listing().apiId());
        return pages.redirect("/marketplace/" + slug, "Saved " + detail.listing().title() + ".");
    }

    @POST
    @Path("{slug}/unsave")
    public Response unsave(@RestPath String slug, @Context UriInfo uri) {
        ListingDetail detail = marketplace.detail(slug, origin(uri));
        UserView me = pages.user();
        try {
            saved.unsave(me.id(), detail.listing().apiId());
        } catch (ProblemException e) {
            if (e.status() != 404) { // not saved (any more): the same outcome
                throw e;
            }
        }
        return pages.redirect("/marketplace/" + slug, "Removed " + detail.listing().title() + " from your saved APIs.");
    }

    @POST
    @Path("{slug}/review")
    public Response review(@RestPath String slug, @RestForm String rating, @RestForm String comment,
            @Context UriInfo uri) {
        ListingDetail detail = marketplace.detail(slug, origin(uri));
        UserView me = pages.signedInUser();
        if (me == null) {
            return signInFirst(slug, "Sign in to review " + detail.listing().title() + ".");
        }
        ReviewForm typed = new ReviewForm(rating == null ? "" : rating.trim(), comment == null ? "" : comment);
        try {
            Integer stars;
            try {
                stars = Integer.valueOf(typed.rating());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Choose a rating from 1 to 5 stars.");
            }
            Reviews.Written written = reviews.write(me.id(), detail.listing().apiId(), stars, typed.comment());
            return pages.redirect("/marketplace/" + slug + "#reviews",
                    written.created() ? "Thank you for your review." : "Your review is updated.");
        } catch (ProblemException e) {
            return listingPage(slug, uri, e.status(), null, new ReviewError(typed, e.detail()));
        }
    }

    /** The review form's error, with what was typed. */
    record ReviewError(ReviewForm form, String message) {
    }

    private Response signInFirst(String slug, String notice) {
        return pages.redirect("/signin?next=" + URLEncoder.encode("/marketplace/" + slug, StandardCharsets.UTF_8),
                notice);
    }

    private Response listingPage(String slug, UriInfo uri, int status, String error, ReviewError reviewError) {
        String origin = origin(uri);
        ListingDetail detail = marketplace.detail(slug, origin);
        ListingView l = detail.listing();
        UserView me = pages.signedInUser();
        boolean model = "model".equals(l.kind());
        boolean owner = me != null && l.provider().id() != null && l.provider().id().equals(me.id());
        SubscriptionView subscription = me == null || model
                ? null
                : subscriptions.mine(me.id(), false).stream().filter(s -> l.apiId().equals(s.apiId())).findFirst()
                        .orElse(null);
        boolean isSaved = me != null
                && saved.list(me.id()).stream().anyMatch(s -> l.apiId().equals(s.listing().apiId()));
        List<PlanRow> plans = detail.plans() == null
                ? List.of()
                : detail.plans().stream().map(p -> planRow(p, subscription)).toList();
        List<Endpoint> endpoints = detail.endpoints() == null
                ? List.of()
                : detail.endpoints().stream().map(MarketplacePages::endpoint).toList();
        List<Snippet> snippets = new ArrayList<>();
        for (ListingDetail.Example example : detail.examples()) {
            snippets.add(new Snippet("snippet-" + snippets.size(), example.title(), example.language(),
                    example.code()));
        }
        Reviews.Page shown = reviews.list(l.apiId(), "newest", 0, REVIEWS_SHOWN,
                me != null && me.hasRole(Role.ADMIN));
        List<ReviewRow> reviewRows = shown.items().stream()
                .map(r -> new ReviewRow(r.reviewer().username() == null ? "a former user" : r.reviewer().username(),
                        r.rating(), "★".repeat(r.rating()) + "☆".repeat(5 - r.rating()), r.comment(), r.reply(),
                        DAY.format(r.updatedAt() == null ? r.createdAt() : r.updatedAt())))
                .toList();
        ListingPage page = new ListingPage(l, rating(l.rating()), detail.about(), detail.version(),
                detail.gatewayUrl(), plans, endpoints, model ? modelInfo(detail.model()) : null, snippets,
                reviewRows, shown.total(), isSaved, subscription == null ? null : subscription.planName(), owner,
                me != null && !owner && (subscription != null || model), console(l, detail, endpoints));
        return pages.html(status, pages.template("marketplace_listing").data("page", page).data("error", error)
                .data("reviewError", reviewError == null ? null : reviewError.message())
                .data("reviewForm", reviewError == null ? new ReviewForm("5", "") : reviewError.form()).render());
    }

    private static PlanRow planRow(PlanView p, SubscriptionView subscription) {
        return new PlanRow(p.id().toString(), p.name(), MarketplaceText.pricing(p.type()),
                MarketplaceText.planPrice(p), MarketplaceText.planLimits(p),
                subscription != null && p.id().equals(subscription.planId()));
    }

    private static Endpoint endpoint(EndpointView e) {
        List<Param> params = new ArrayList<>();
        if (e.parameters() != null) {
            for (Map<String, Object> p : e.parameters()) {
                Object schema = p.get("schema");
                Object type = schema instanceof Map<?, ?> s ? s.get("type") : null;
                params.add(new Param(text(p.get("name")), text(p.get("in")), Boolean.TRUE.equals(p.get("required")),
                        type == null ? "" : type.toString(), text(p.get("description"))));
            }
        }
        return new Endpoint(e.method().toUpperCase(Locale.ROOT), e.path(), e.summary(), e.description(),
                e.deprecated(), params);
    }

    private static ModelInfo modelInfo(ModelCatalogue.Entry m) {
        if (m == null) {
            return null;
        }
        return new ModelInfo(m.id(), m.modelType(), m.providers().isEmpty() ? "—" : String.join(", ", m.providers()),
                MarketplaceText.money(m.pricing().inputPerMillion()),
                MarketplaceText.money(m.pricing().outputPerMillion()),
                m.pricing().cachedInputPerMillion() == null
                        ? "as input"
                        : MarketplaceText.money(m.pricing().cachedInputPerMillion()),
                m.maxOutputTokens() == null ? "—" : MarketplaceText.count(m.maxOutputTokens()));
    }

    /** The console starts on the first GET endpoint (any endpoint, else {@code GET /}); models on a chat request. */
    private static Console console(ListingView l, ListingDetail detail, List<Endpoint> endpoints) {
        if ("model".equals(l.kind()) && detail.model() != null) {
            String name = detail.model().id().replace("\\", "\\\\").replace("\"", "\\\"");
            return "embedding".equals(detail.model().modelType())
                    ? new Console("/v1", "POST", "/embeddings",
                            "{\n  \"model\": \"" + name + "\",\n  \"input\": \"The quick brown fox\"\n}")
                    : new Console("/v1", "POST", "/chat/completions", "{\n  \"model\": \"" + name
                            + "\",\n  \"messages\": [{\"role\": \"user\", \"content\": \"Hello!\"}]\n}");
        }
        Endpoint first = endpoints.stream().filter(e -> "GET".equals(e.method())).findFirst()
                .orElse(endpoints.isEmpty() ? null : endpoints.get(0));
        return new Console("/gw/" + l.slug(), first == null ? "GET" : first.method(),
                first == null ? "/" : first.path(), "");
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** Scheme, host and port the visitor reached us at (forwarded headers count where enabled). */
    static String origin(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static UUID uuid(String value, String message) {
        try {
            return UUID.fromString(Objects.requireNonNull(value).trim());
        } catch (RuntimeException e) {
            throw ProblemException.badRequest(message);
        }
    }

    private static int pageNumber(String page) {
        try {
            return page == null ? 1 : Math.max(1, Math.min(Integer.parseInt(page.trim()), 100_000));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String trim(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
