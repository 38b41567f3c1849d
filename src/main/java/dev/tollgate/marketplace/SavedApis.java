package dev.tollgate.marketplace;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.marketplace.store.MarketplaceStore;
import dev.tollgate.marketplace.store.SavedEntity;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** APIs and AI models a user saved for later (seed 002's favourites). */
@ApplicationScoped
public class SavedApis {

    /** A saved listing and when it was saved. */
    public record Saved(ListingView listing, Instant savedAt) {
    }

    private final MarketplaceStore store;
    private final Marketplace marketplace;
    private final Clock clock;

    SavedApis(MarketplaceStore store, Marketplace marketplace, Clock clock) {
        this.store = store;
        this.marketplace = marketplace;
        this.clock = clock;
    }

    /** Saves a listed API or model; saving it again changes nothing. Whether it was saved now. */
    public boolean save(UUID userId, UUID apiId) {
        if (apiId == null) {
            throw ProblemException.invalid("api_id", "is required");
        }
        marketplace.shown(apiId).orElseThrow(
                () -> ProblemException.notFound("No listing of an API or model with id " + apiId + "."));
        return Transactions.uniquely(() -> {
            if (store.saved(userId, apiId).isPresent()) {
                return false;
            }
            SavedEntity saved = new SavedEntity();
            saved.userId = userId;
            saved.apiId = apiId;
            saved.createdAt = clock.instant();
            store.persist(saved);
            return true;
        }, "The API was just saved by another request.");
    }

    public void unsave(UUID userId, UUID apiId) {
        QuarkusTransaction.requiringNew().run(() -> store.remove(store.saved(userId, apiId)
                .orElseThrow(() -> ProblemException.notFound("The API " + apiId + " is not among your saved ones."))));
    }

    /** The user's saved listings that are still shown, newest first. */
    public List<Saved> list(UUID userId) {
        return ids(userId).stream()
                .flatMap(s -> marketplace.shown(s.apiId).map(l -> new Saved(l, s.createdAt)).stream())
                .toList();
    }

    /** Every API or model the user saved, listed or not. */
    List<SavedEntity> ids(UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.savedBy(userId));
    }
}
