package dev.tollgate.marketplace;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.catalog.Actor;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.catalog.EndpointView;
import dev.tollgate.catalog.OpenApiImport;
import dev.tollgate.marketplace.internal.Listing;
import dev.tollgate.marketplace.internal.ListingIndex;
import dev.tollgate.marketplace.internal.SearchQuery;
import dev.tollgate.marketplace.internal.Shelf;
import dev.tollgate.marketplace.store.FeaturedEntity;
import dev.tollgate.marketplace.store.ListingEntity;
import dev.tollgate.marketplace.store.MarketplaceStore;
import dev.tollgate.metering.Analytics.ApiFigures;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The marketplace's listings: providers publish and unlist their public APIs, admins feature listings, and anyone
 * browses, searches and opens them. Enabled AI models are listed too (category {@code ai-models}). Reads come from the
 * in-memory snapshot ({@code Shelf}); writes change the {@code marketplace} topic, so every node shows them within a
 * second (this node before the call returns).
 */
@ApplicationScoped
public class Marketplace {

    private static final Logger LOG = Logger.getLogger(Marketplace.class);

    public static final String TOPIC = "marketplace";
    public static final Set<String> SORTS = Set.of("relevance", "popular", "rating", "newest", "price");
    public static final Set<String> PRICING = Set.of("free", "pay_per_call", "subscription", "per_token");
    public static final int MAX_LIMIT = 100;
    static final Pattern CATEGORY = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
    private static final Pattern SAMPLE_PATH = Pattern.compile("/[A-Za-z0-9/._~-]*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._+-]{0,31}");

    /** A listing's texts; null ones are the API's own (its name, description, category, tags). */
    public record Publish(UUID apiId, String title, String description, String category, List<String> tags,
            String about, String logoUrl) {
    }

    /** The listing and whether this call put it on the marketplace (rather than changed it). */
    public record Published(ListingDetail listing, boolean created) {
    }

    /** A search of the listings: text, filters, order and page. */
    public record Browse(String q, String category, List<String> tags, String pricing, BigDecimal maxPrice,
            String sort, int skip, int limit) {
    }

    public record Page(List<ListingView> items, long total) {
    }

    public record CategoryCount(String category, long listings) {
    }

    private final MarketplaceStore store;
    private final ApiCatalog catalog;
    private final Shelf shelf;
    private final ChangeFeed changes;
    private final Clock clock;
    private final OpenApiImport openApi;

    Marketplace(MarketplaceStore store, ApiCatalog catalog, Shelf shelf, ChangeFeed changes, Clock clock,
            OpenApiImport openApi) {
        this.openApi = openApi;
        this.store = store;
        this.catalog = catalog;
        this.shelf = shelf;
        this.changes = changes;
        this.clock = clock;
    }

    // --- publishing -------------------------------------------------------------------------------------------------

    /** Lists a public, active API of the actor's (or changes its listing). */
    public Published publish(Actor actor, Publish request, String origin) {
        List<FieldError> errors = new ArrayList<>();
        if (request.apiId() == null) {
            errors.add(new FieldError("api_id", "is required"));
        }
        String category = request.category() == null ? null : normalCategory(request.category());
        validate(errors, request, category);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        ApiView api = catalog.requireManaged(request.apiId(), actor, "list it on the marketplace");
        if (!"public".equals(api.visibility())) {
            throw ProblemException.conflict("The API is private; make it public first (PUT /api/v1/apis/" + api.id()
                    + " with {\"visibility\":\"public\"}).");
        }
        if (!"active".equals(api.status())) {
            throw ProblemException.conflict("The API is paused; resume it first (POST /api/v1/apis/" + api.id()
                    + "/resume).");
        }
        if (category == null && (api.category() == null || !CATEGORY.matcher(normalCategory(api.category())).matches()
                || Listing.AI_CATEGORY.equals(normalCategory(api.category())))) {
            throw ProblemException.invalid("category", "is required: the API has no category of its own that a "
                    + "listing may use (1 to 64 letters, digits and '-'; not ai-models)");
        }
        boolean created = Transactions.uniquely(() -> {
            Instant now = clock.instant();
            ListingEntity listing = store.listing(api.id()).orElse(null);
            boolean fresh = listing == null;
            if (fresh) {
                listing = new ListingEntity();
                listing.apiId = api.id();
                listing.publishedAt = now;
            }
            listing.title = blankToNull(request.title());
            listing.description = blankToNull(request.description());
            listing.category = category;
            listing.tags = request.tags() == null
                    ? null
                    : request.tags().stream().map(String::trim).distinct().collect(Collectors.joining(","));
            listing.about = blankToNull(request.about());
            listing.logoUrl = blankToNull(request.logoUrl());
            listing.updatedAt = now;
            if (fresh) {
                store.persist(listing);
            }
            changes.changed(TOPIC);
            return fresh;
        }, "The API was just listed by another request; send the listing again to change it.");
        LOG.infof("API %s (%s) %s the marketplace by %s", api.id(), api.slug(), created ? "listed on" : "updated on",
                actor.userId());
        Listing listing = shelf.listing(api.id())
                .orElseThrow(
                        () -> ProblemException.conflict("The API changed meanwhile and is not listed; try again."));
        return new Published(detail(listing, origin), created);
    }

    /** Takes an API off the marketplace (its reviews stay, for when it is listed again). */
    public void unpublish(Actor actor, UUID apiId) {
        ApiView api = catalog.requireManaged(apiId, actor, "take it off the marketplace");
        QuarkusTransaction.requiringNew().run(() -> {
            ListingEntity listing = store.listing(api.id())
                    .orElseThrow(() -> ProblemException.notFound("The API " + api.id() + " is not listed."));
            store.remove(listing);
            store.featured(api.id()).ifPresent(store::remove);
            changes.changed(TOPIC);
        });
        LOG.infof("API %s (%s) taken off the marketplace by %s", api.id(), api.slug(), actor.userId());
    }

    /** Features a shown listing (by id or slug) or stops featuring it. */
    public ListingView setFeatured(String listing, boolean featured) {
        Listing shown = find(listing);
        Transactions.uniquely(() -> {
            var row = store.featured(shown.apiId());
            if (featured && row.isEmpty()) {
                FeaturedEntity entity = new FeaturedEntity();
                entity.apiId = shown.apiId();
                entity.featuredAt = clock.instant();
                store.persist(entity);
            } else if (!featured && row.isPresent()) {
                store.remove(row.get());
            }
            changes.changed(TOPIC);
            return row;
        }, "The listing was just featured by another request.");
        return view(shelf.listing(shown.apiId()).orElse(shown), null, null);
    }

    // --- reading ----------------------------------------------------------------------------------------------------

    /** The shown listings that match, in the asked order, one page of them. */
    public Page browse(Browse b) {
        List<FieldError> errors = new ArrayList<>();
        String sort = b.sort() == null ? "relevance" : b.sort();
        if (!SORTS.contains(sort)) {
            errors.add(new FieldError("sort", "must be one of relevance, popular, rating, newest, price"));
        }
        if (b.pricing() != null && !PRICING.contains(b.pricing())) {
            errors.add(new FieldError("pricing", "must be one of free, pay_per_call, subscription, per_token"));
        }
        if (b.maxPrice() != null && b.maxPrice().signum() < 0) {
            errors.add(new FieldError("max_price", "must be at least 0"));
        }
        checkPage(errors, b.skip(), b.limit());
        if (b.q() != null && b.q().length() > 200) {
            errors.add(new FieldError("q", "must be at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Shelf.Snapshot snapshot = shelf.current();
        Filter filter = new Filter(b);
        Map<UUID, ApiFigures> figures = shelf.figures(); // one read of the bean for every candidate
        List<String> words = b.q() == null ? List.of() : SearchQuery.words(b.q());
        if (words.isEmpty()) {
            List<Candidate> matching = new ArrayList<>();
            for (Listing listing : snapshot.listings()) {
                if (filter.matches(listing)) {
                    matching.add(new Candidate(listing, null));
                }
            }
            return new Page(page(matching, order(sort, false, figures), b.skip(), b.limit()).stream()
                    .map(c -> view(c.listing(), null, null)).toList(), matching.size());
        }
        ListingIndex.Search search = shelf.index().search(SearchQuery.everyWord(words));
        List<Candidate> matching = matching(search, snapshot, filter);
        if (matching.isEmpty() && words.size() > 1) { // no listing these filters keep has every word: any word
            search.close();
            search = shelf.index().search(SearchQuery.anyWord(words));
            matching = matching(search, snapshot, filter);
        }
        try (ListingIndex.Search open = search) {
            List<Candidate> page = page(matching, order(sort, true, figures), b.skip(), b.limit());
            Map<UUID, Map<String, String>> highlights = open.highlights(page.stream().map(Candidate::hit).toList());
            return new Page(page.stream().map(c -> view(c.listing(), (double) c.hit().score(),
                    highlights.getOrDefault(c.listing().apiId(), Map.of()))).toList(), matching.size());
        }
    }

    private static List<Candidate> matching(ListingIndex.Search search, Shelf.Snapshot snapshot, Filter filter) {
        List<Candidate> matching = new ArrayList<>();
        for (ListingIndex.Hit hit : search.hits()) {
            Listing listing = snapshot.byApi().get(hit.apiId());
            if (listing != null && filter.matches(listing)) {
                matching.add(new Candidate(listing, hit));
            }
        }
        return matching;
    }

    /**
     * The page {@code [skip, skip + limit)} of the candidates in that order: a bounded heap keeps the first
     * {@code skip + limit}, so a page of a few thousand matches is not a full sort.
     */
    static <T> List<T> page(List<T> all, Comparator<T> order, int skip, int limit) {
        int wanted = (int) Math.min((long) skip + limit, all.size());
        if (wanted <= skip) {
            return List.of();
        }
        PriorityQueue<T> first = new PriorityQueue<>(wanted + 1, order.reversed());
        for (T item : all) {
            first.add(item);
            if (first.size() > wanted) {
                first.poll();
            }
        }
        List<T> sorted = new ArrayList<>(first);
        sorted.sort(order);
        return sorted.subList(skip, sorted.size());
    }

    /** A listing that matched a browse, with its search hit (null without a search). */
    private record Candidate(Listing listing, ListingIndex.Hit hit) {
    }

    /** A browse's filters, normalised once. */
    private static final class Filter {

        private final String category;
        private final List<String> tags;
        private final String pricing;
        private final BigDecimal maxPrice;

        Filter(Browse b) {
            category = b.category() == null || b.category().isBlank() ? null : normalCategory(b.category());
            tags = b.tags() == null
                    ? List.of()
                    : b.tags().stream().filter(t -> !t.isBlank()).map(t -> t.trim().toLowerCase(Locale.ROOT))
                            .toList();
            pricing = b.pricing();
            maxPrice = b.maxPrice();
        }

        boolean matches(Listing l) {
            if (category != null && !l.category().equals(category)) {
                return false;
            }
            for (String wanted : tags) {
                if (l.tags().stream().noneMatch(wanted::equalsIgnoreCase)) {
                    return false;
                }
            }
            if (pricing != null && !l.pricingTypes().contains(pricing)) {
                return false;
            }
            return maxPrice == null || (l.minPrice() != null && l.minPrice().compareTo(maxPrice) <= 0);
        }
    }

    /** A shown listing by slug, with plans or model prices, where to call it and examples. */
    public ListingDetail detail(String slug, String origin) {
        Listing listing = shelf.current().bySlug().get(slug);
        if (listing == null) {
            throw ProblemException.notFound("No listing with slug '" + slug + "'.");
        }
        return detail(listing, origin);
    }

    /** The categories of the shown listings with how many each has, largest first. */
    public List<CategoryCount> categories() {
        Map<String, Long> counts = new TreeMap<>();
        shelf.current().listings().forEach(l -> counts.merge(l.category(), 1L, Long::sum));
        return counts.entrySet().stream().map(e -> new CategoryCount(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(CategoryCount::listings).reversed()).toList();
    }

    /** A shown listing by id (an API's or a model's). */
    public java.util.Optional<ListingView> shown(UUID apiId) {
        return shelf.listing(apiId).map(l -> view(l, null, null));
    }

    /** A shown listing, by its id or slug; 404 otherwise. */
    Listing find(String idOrSlug) {
        Listing listing = shelf.current().bySlug().get(idOrSlug);
        if (listing == null) {
            try {
                listing = shelf.current().byApi().get(UUID.fromString(idOrSlug));
            } catch (IllegalArgumentException notAnId) {
                // a slug that is not listed
            }
        }
        if (listing == null) {
            throw ProblemException.notFound("No listing '" + idOrSlug + "'.");
        }
        return listing;
    }

    ListingView view(Listing l, Double score, Map<String, String> highlights) {
        ApiFigures figures = shelf.figures(l.apiId());
        return new ListingView(l.apiId(), l.apiId(), l.kind(), l.slug(), l.title(), l.description(), l.category(),
                l.tags(), new ListingView.Provider(l.providerId(), l.providerUsername() == null
                        ? "tollgate"
                        : l.providerUsername()),
                l.reviewCount() == 0 ? null : BigDecimal.valueOf(l.rating()), l.reviewCount(), l.subscribers(),
                figures == null ? 0 : figures.calls(), figures == null ? null : figures.uptime(),
                figures == null ? null : figures.p50LatencyMs(), l.minPrice(), l.pricingTypes(), l.featured(),
                l.publishedAt(), score, highlights);
    }

    /** How popular a listing is: subscribers, then calls of the last 30 days, then rating, then newest. */
    static Comparator<Listing> popularity(Map<UUID, ApiFigures> figures) {
        return Comparator.comparingLong(Listing::subscribers).reversed()
                .thenComparing(Comparator.comparingLong((Listing l) -> calls(figures, l)).reversed())
                .thenComparing(Comparator.comparingDouble(Listing::rating).reversed())
                .thenComparing(Comparator.comparing(Listing::publishedAt).reversed())
                .thenComparing(Listing::slug);
    }

    /** The same, with the usage figures in force now. */
    Comparator<Listing> popularity() {
        return popularity(shelf.figures());
    }

    private static long calls(Map<UUID, ApiFigures> all, Listing listing) {
        ApiFigures figures = all.get(listing.apiId());
        return figures == null ? 0 : figures.calls();
    }

    /** The order of a browse: by the search's score first when it searched and sorts by relevance. */
    private static Comparator<Candidate> order(String sort, boolean searched, Map<UUID, ApiFigures> figures) {
        Comparator<Listing> popular = popularity(figures);
        Comparator<Listing> listings = switch (sort) {
            case "popular" -> popular;
            case "rating" -> Comparator.comparingDouble(Listing::rating).reversed()
                    .thenComparing(Comparator.comparingLong(Listing::reviewCount).reversed()).thenComparing(popular);
            case "newest" -> Comparator.comparing(Listing::publishedAt).reversed().thenComparing(Listing::slug);
            case "price" -> Comparator.comparing(Listing::minPrice, Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(popular);
            default -> searched ? popular : Comparator.comparing(Listing::featured).reversed().thenComparing(popular);
        };
        Comparator<Candidate> byListing = Comparator.comparing(Candidate::listing, listings);
        return searched && "relevance".equals(sort)
                ? Comparator.comparingDouble((Candidate c) -> c.hit().score()).reversed().thenComparing(byListing)
                : byListing;
    }

    ListingDetail detail(Listing l, String origin) {
        boolean model = Listing.MODEL.equals(l.kind());
        String gatewayUrl = model ? origin + "/v1" : origin + "/gw/" + l.slug();
        List<EndpointView> endpoints = model ? null : openApi.publicEndpoints(l.apiId());
        return new ListingDetail(view(l, null, null), l.about(), l.logoUrl(), l.version(), model ? null : l.plans(),
                l.model(), endpoints, gatewayUrl,
                model ? Examples.model(origin, l.model()) : Examples.api(gatewayUrl, samplePath(endpoints)));
    }

    /** The first GET endpoint without parameters in its path (plain characters only), else {@code /}. */
    static String samplePath(List<EndpointView> endpoints) {
        return endpoints.stream().filter(e -> "get".equalsIgnoreCase(e.method()))
                .map(EndpointView::path).filter(p -> p != null && SAMPLE_PATH.matcher(p).matches()).findFirst()
                .orElse("/");
    }

    /** Adds what is wrong with {@code skip} and {@code limit} (at least 0; 1 to {@value #MAX_LIMIT}). */
    static void checkPage(List<FieldError> errors, int skip, int limit) {
        if (skip < 0) {
            errors.add(new FieldError("skip", "must be at least 0"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be 1 to " + MAX_LIMIT));
        }
    }

    private static void validate(List<FieldError> errors, Publish request, String category) {
        if (request.title() != null && (request.title().isBlank() || request.title().length() > 100)) {
            errors.add(new FieldError("title", "must be 1 to 100 characters"));
        }
        if (request.description() != null && request.description().length() > 2000) {
            errors.add(new FieldError("description", "must be at most 2000 characters"));
        }
        if (category != null) {
            if (!CATEGORY.matcher(category).matches()) {
                errors.add(new FieldError("category", "must be 1 to 64 letters, digits and '-'"));
            } else if (Listing.AI_CATEGORY.equals(category)) {
                errors.add(new FieldError("category", "ai-models is kept for the platform's AI models"));
            }
        }
        if (request.tags() != null) {
            if (request.tags().size() > 20) {
                errors.add(new FieldError("tags", "must be at most 20 tags"));
            } else if (!request.tags().stream().allMatch(t -> t != null && TAG.matcher(t.trim()).matches())) {
                errors.add(new FieldError("tags", "each tag must be 1 to 32 letters, digits, spaces or ._+-"));
            } else if (String.join(",", request.tags()).length() > 600) {
                errors.add(new FieldError("tags", "must take at most 600 characters together"));
            }
        }
        if (request.about() != null && request.about().length() > 20_000) {
            errors.add(new FieldError("about", "must be at most 20000 characters"));
        }
        if (request.logoUrl() != null && !request.logoUrl().isBlank() && !isWebUrl(request.logoUrl())) {
            errors.add(new FieldError("logo_url", "must be an http or https URL of at most 2000 characters"));
        }
    }

    private static boolean isWebUrl(String url) {
        try {
            URI uri = new URI(url);
            return url.length() <= 2000 && uri.getHost() != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** A category as listings hold it: lower case, spaces and underscores as '-'. */
    public static String normalCategory(String category) {
        return category.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
