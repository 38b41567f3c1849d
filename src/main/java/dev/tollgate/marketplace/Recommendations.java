package dev.tollgate.marketplace;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.marketplace.internal.Listing;
import dev.tollgate.marketplace.internal.Shelf;
import dev.tollgate.metering.UsageQueries;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * Listings a user may want next: from the providers of the APIs they use or saved, then popular ones in those
 * categories, then featured and popular ones; never what they subscribe to, saved or offer themselves. Anonymous
 * users get the featured and popular ones.
 */
@ApplicationScoped
public class Recommendations {

    /** A recommended listing and why. */
    public record Recommendation(ListingView listing, String reason) {
    }

    private static final Duration USED_WITHIN = Duration.ofDays(30);

    private final Shelf shelf;
    private final Marketplace marketplace;
    private final SavedApis saved;
    private final ApiCatalog catalog;
    private final UsageQueries usage;
    private final Clock clock;

    Recommendations(Shelf shelf, Marketplace marketplace, SavedApis saved, ApiCatalog catalog, UsageQueries usage,
            Clock clock) {
        this.shelf = shelf;
        this.marketplace = marketplace;
        this.saved = saved;
        this.catalog = catalog;
        this.usage = usage;
        this.clock = clock;
    }

    /** For a signed-in user ({@code userId}) or anyone (null). */
    public List<Recommendation> recommend(UUID userId, int limit) {
        List<FieldError> errors = new ArrayList<>();
        Marketplace.checkPage(errors, 0, limit);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Shelf.Snapshot snapshot = shelf.current();
        Set<UUID> excluded = new HashSet<>();
        Set<UUID> used = new HashSet<>();
        if (userId != null) {
            Set<UUID> subscribed = catalog.subscribedApis(userId);
            excluded.addAll(subscribed);
            used.addAll(subscribed);
            saved.ids(userId).forEach(s -> {
                excluded.add(s.apiId);
                used.add(s.apiId);
            });
            usage.consumerUsage(userId, clock.instant().minus(USED_WITHIN)).forEach(u -> used.add(u.apiId()));
        }
        Map<UUID, String> providers = new HashMap<>();
        Set<String> categories = new HashSet<>();
        for (UUID id : used) {
            Listing listing = snapshot.byApi().get(id);
            if (listing != null) {
                if (listing.providerId() != null) {
                    providers.putIfAbsent(listing.providerId(), listing.title());
                }
                categories.add(listing.category());
            }
        }
        Comparator<Listing> popular = marketplace.popularity();
        return snapshot.listings().stream()
                .filter(l -> !excluded.contains(l.apiId()) && !used.contains(l.apiId())
                        && (userId == null || !userId.equals(l.providerId())))
                .map(l -> new Ranked(l, rank(l, providers, categories)))
                .sorted(Comparator.comparingInt(Ranked::rank).thenComparing(Ranked::listing, popular)).limit(limit)
                .map(r -> new Recommendation(marketplace.view(r.listing(), null, null),
                        reason(r, providers)))
                .toList();
    }

    private record Ranked(Listing listing, int rank) {
    }

    private static int rank(Listing l, Map<UUID, String> providers, Set<String> categories) {
        if (l.providerId() != null && providers.containsKey(l.providerId())) {
            return 0;
        }
        if (categories.contains(l.category())) {
            return 1;
        }
        return l.featured() ? 2 : 3;
    }

    private static String reason(Ranked r, Map<UUID, String> providers) {
        return switch (r.rank()) {
            case 0 -> "from the provider of " + providers.get(r.listing().providerId());
            case 1 -> "popular in " + r.listing().category();
            case 2 -> "featured";
            default -> "popular on Tollgate";
        };
    }
}
