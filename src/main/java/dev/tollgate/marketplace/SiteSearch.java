package dev.tollgate.marketplace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.lucene.index.memory.MemoryIndex;
import org.apache.lucene.search.Query;

import dev.tollgate.catalog.ApiCatalog;
import dev.tollgate.catalog.Subscriptions;
import dev.tollgate.keys.ApiKeys;
import dev.tollgate.marketplace.internal.Listing;
import dev.tollgate.marketplace.internal.ListingIndex;
import dev.tollgate.marketplace.internal.SearchQuery;
import dev.tollgate.marketplace.internal.Shelf;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;

/**
 * Seed 004's {@code GET /api/v1/search}: the marketplace's listings, and for a signed-in user their own APIs, API
 * keys and subscriptions, ranked by one scorer (the listings' index for listings, the same query on an in-memory
 * index of each of the user's own things for theirs), best first.
 */
@ApplicationScoped
public class SiteSearch {

    public static final Set<String> TYPES = Set.of("listing", "api", "key", "subscription");

    /** One thing found: its type, id, title, a line about it, its score and where to read it. */
    public record Found(String type, UUID id, String title, String description, double score, String url) {
    }

    public record Results(String query, List<Found> items, long total) {
    }

    private final Shelf shelf;
    private final ApiCatalog catalog;
    private final Subscriptions subscriptions;
    private final ApiKeys keys;

    SiteSearch(Shelf shelf, ApiCatalog catalog, Subscriptions subscriptions, ApiKeys keys) {
        this.shelf = shelf;
        this.catalog = catalog;
        this.subscriptions = subscriptions;
        this.keys = keys;
    }

    /** {@code userId} null: anonymous, listings only. {@code type} null: every type. */
    public Results search(UUID userId, String q, String type, int limit) {
        List<FieldError> errors = new ArrayList<>();
        if (q == null || q.isBlank() || q.length() > 200) {
            errors.add(new FieldError("q", "must be 1 to 200 characters"));
        }
        if (type != null && !TYPES.contains(type)) {
            errors.add(new FieldError("type", "must be one of listing, api, key, subscription"));
        }
        Marketplace.checkPage(errors, 0, limit);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (userId == null && type != null && !type.equals("listing")) {
            throw ProblemException.unauthorized("Sign in to search your own APIs, keys and subscriptions.");
        }
        List<String> words = SearchQuery.words(q);
        List<Found> found = new ArrayList<>();
        if (!words.isEmpty()) {
            found.addAll(find(userId, type, SearchQuery.everyWord(words)));
            if (found.isEmpty() && words.size() > 1) {
                found.addAll(find(userId, type, SearchQuery.anyWord(words)));
            }
        }
        found.sort(Comparator.comparingDouble(Found::score).reversed().thenComparing(Found::title));
        return new Results(q, found.stream().limit(limit).toList(), found.size());
    }

    private List<Found> find(UUID userId, String type, Query query) {
        List<Found> found = new ArrayList<>();
        if (type == null || type.equals("listing")) {
            Shelf.Snapshot snapshot = shelf.current();
            try (ListingIndex.Search search = shelf.index().search(query)) {
                for (ListingIndex.Hit hit : search.hits()) {
                    Listing l = snapshot.byApi().get(hit.apiId());
                    if (l != null) {
                        found.add(new Found("listing", l.apiId(), l.title(), l.description(), hit.score(),
                                "/api/v1/marketplace/listings/" + l.slug()));
                    }
                }
            }
        }
        if (userId == null) {
            return found;
        }
        if (type == null || type.equals("api")) {
            score(found, query, catalog.mine(userId), a -> new Found("api", a.id(), a.name(), a.description(), 0,
                    "/api/v1/apis/" + a.id()),
                    a -> Map.of(SearchQuery.TITLE, a.name() + " " + a.slug(),
                            SearchQuery.TAGS,
                            String.join(", ", a.tags()) + (a.category() == null ? "" : ", " + a.category()),
                            SearchQuery.DESCRIPTION, a.description()));
        }
        if (type == null || type.equals("key")) {
            score(found, query, keys.mine(userId, false), k -> new Found("key", k.id(), k.name(),
                    "API key " + k.prefix() + "…", 0, "/api/v1/api-keys"),
                    k -> Map.of(SearchQuery.TITLE, k.name(), SearchQuery.TAGS, k.prefix()));
        }
        if (type == null || type.equals("subscription")) {
            score(found, query, subscriptions.mine(userId, false), s -> new Found("subscription", s.id(), s.apiName(),
                    s.planName() + " plan (" + s.status() + ")", 0, "/api/v1/subscriptions"),
                    s -> Map.of(SearchQuery.TITLE, s.apiName() + " " + s.apiSlug(), SearchQuery.TAGS, s.planName()));
        }
        return found;
    }

    /** Adds the things that match the query, scored on an in-memory index of their fields. */
    private static <T> void score(List<Found> into, Query query, List<T> things, Function<T, Found> found,
            Function<T, Map<String, String>> fields) {
        for (T thing : things) {
            MemoryIndex index = new MemoryIndex();
            fields.apply(thing).forEach((field, text) -> index.addField(field, text, SearchQuery.ANALYZER));
            float score = index.search(query);
            if (score > 0) {
                Found f = found.apply(thing);
                into.add(new Found(f.type(), f.id(), f.title(), f.description(), score, f.url()));
            }
        }
    }
}
