package dev.tollgate.marketplace.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.ApiCatalog.Offer;
import dev.tollgate.catalog.ApiView;
import dev.tollgate.catalog.PlanView;
import dev.tollgate.marketplace.Marketplace;
import dev.tollgate.marketplace.store.ListingEntity;
import dev.tollgate.marketplace.store.MarketplaceStore;
import dev.tollgate.models.AiModels;
import dev.tollgate.models.ModelCatalogue;
import dev.tollgate.platform.ChangeFeed;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds the marketplace's snapshot at start-up and whenever the catalog (APIs, plans, subscriptions), the AI models
 * or the marketplace itself (listings, featuring, reviews) change, and publishes it on the {@link Shelf}.
 */
@ApplicationScoped
class MarketplaceDeployer {

    private static final Logger LOG = Logger.getLogger(MarketplaceDeployer.class);

    private final MarketplaceStore store;
    private final ApiCatalog catalog;
    private final ModelCatalogue models;
    private final UserDirectory users;
    private final Shelf shelf;
    private final ChangeFeed changes;

    MarketplaceDeployer(MarketplaceStore store, ApiCatalog catalog, ModelCatalogue models, UserDirectory users,
            Shelf shelf, ChangeFeed changes) {
        this.store = store;
        this.catalog = catalog;
        this.models = models;
        this.users = users;
        this.shelf = shelf;
        this.changes = changes;
    }

    void start(@Observes StartupEvent ignored) {
        for (String topic : List.of(Marketplace.TOPIC, ApiCatalog.TOPIC, AiModels.TOPIC)) {
            changes.subscribe(topic, version -> {
                List<Listing> listings = load();
                shelf.publish(listings);
                LOG.debugf("Marketplace snapshot published after a %s change: %d listings", topic, listings.size());
            });
        }
    }

    private List<Listing> load() {
        List<ListingEntity> rows = store.listings();
        Set<UUID> featured = store.featured().stream().map(f -> f.apiId).collect(Collectors.toSet());
        Map<UUID, long[]> ratings = new HashMap<>();
        for (Object[] row : store.ratings()) {
            ratings.put((UUID) row[0], new long[]{((Number) row[1]).longValue(), ((Number) row[2]).longValue()});
        }
        Map<UUID, Offer> offers = catalog.offers(rows.stream().map(r -> r.apiId).toList());
        Map<UUID, String> usernames = users.usernames(
                offers.values().stream().map(o -> o.api().ownerId()).collect(Collectors.toSet()));
        List<Listing> listings = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        for (ListingEntity row : rows) {
            Offer offer = offers.get(row.apiId);
            if (offer == null || !offer.open()) {
                continue; // paused or private: not shown until it is active and public again
            }
            ApiView api = offer.api();
            long[] rating = ratings.getOrDefault(api.id(), new long[2]);
            List<String> tags = row.tags == null ? api.tags() : split(row.tags);
            String category = row.category != null
                    ? row.category
                    : api.category() != null ? Marketplace.normalCategory(api.category()) : "other";
            if (Listing.AI_CATEGORY.equals(category)) {
                category = "other"; // the API's own category was later set to the one kept for the AI models
            }
            listings.add(new Listing(api.id(), Listing.API, api.slug(), row.title != null ? row.title : api.name(),
                    row.description != null ? row.description : api.description(), category, tags, row.about,
                    row.logoUrl, api.ownerId(), usernames.get(api.ownerId()), api.version(), row.publishedAt,
                    offer.plans(), null, minPrice(offer.plans()), pricingTypes(offer.plans()), offer.subscribers(),
                    mean(rating), rating[0], featured.contains(api.id()), offer.endpoints()));
            slugs.add(api.slug());
        }
        for (ModelCatalogue.Listed model : models.enabled()) {
            ModelCatalogue.Entry entry = model.entry();
            long[] rating = ratings.getOrDefault(model.id(), new long[2]);
            String slug = freeSlug("ai-" + entry.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("-+$", ""), slugs);
            slugs.add(slug);
            listings.add(new Listing(model.id(), Listing.MODEL, slug, entry.displayName(), modelDescription(entry),
                    Listing.AI_CATEGORY, List.of(entry.modelType(), "ai"), null, null, null, null, null,
                    model.createdAt(), List.of(), entry, entry.pricing().inputPerMillion(), List.of("per_token"), 0,
                    mean(rating), rating[0], featured.contains(model.id()), List.of()));
        }
        return listings;
    }

    private static String modelDescription(ModelCatalogue.Entry entry) {
        String served = entry.providers().isEmpty() ? "" : " Served by " + String.join(", ", entry.providers()) + ".";
        return "AI model " + entry.id() + " (" + entry.modelType() + ") through the OpenAI- and Anthropic-compatible"
                + " endpoints, billed per token." + served;
    }

    private static String freeSlug(String base, Set<String> taken) {
        String slug = base;
        for (int n = 2; taken.contains(slug); n++) {
            slug = base + "-" + n;
        }
        return slug;
    }

    private static List<String> split(String tags) {
        return tags.isEmpty() ? List.of() : Arrays.asList(tags.split(","));
    }

    private static double mean(long[] rating) {
        return rating[0] == 0 ? 0 : Math.round(rating[1] * 100.0 / rating[0]) / 100.0;
    }

    /** The lowest price of the plans: 0 with a free plan, else the lowest per-call or monthly price. */
    static BigDecimal minPrice(List<PlanView> plans) {
        BigDecimal min = null;
        for (PlanView plan : plans) {
            BigDecimal price = switch (plan.type()) {
                case "pay_per_call" -> plan.pricePerCall();
                case "subscription" -> plan.monthlyPrice();
                default -> BigDecimal.ZERO;
            };
            min = min == null || price.compareTo(min) < 0 ? price : min;
        }
        return min;
    }

    static List<String> pricingTypes(List<PlanView> plans) {
        Set<String> types = new LinkedHashSet<>();
        plans.forEach(p -> types.add(p.type()));
        return List.copyOf(types);
    }
}
