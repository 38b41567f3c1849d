package dev.tollgate.marketplace;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.catalog.Actor;
import dev.tollgate.marketplace.internal.Listing;
import dev.tollgate.marketplace.internal.Shelf;
import dev.tollgate.marketplace.store.MarketplaceStore;
import dev.tollgate.marketplace.store.ReviewEntity;
import dev.tollgate.metering.Analytics;
import dev.tollgate.notifications.Notifications;
import dev.tollgate.platform.ChangeFeed;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Reviews of listed APIs and AI models: one per consumer and API (posting again changes it), only by a consumer who
 * has had at least one successful answer (status below 400) from it; the provider may reply once; an admin may hide
 * one. The listing's rating (the mean of the shown reviews) and count follow through the {@code marketplace} topic.
 */
@ApplicationScoped
public class Reviews {

    public static final int MAX_COMMENT = 4000;

    /** A review as shown; {@code hidden} only to admins. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReviewView(UUID id, UUID apiId, int rating, String comment, Reviewer reviewer, String reply,
            Instant repliedAt, Boolean hidden, Instant createdAt, Instant updatedAt) {
    }

    public record Reviewer(UUID id, String username) {
    }

    /** One page of an API's reviews, with its rating and shown reviews in all. */
    public record Page(List<ReviewView> items, long total,
            @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal rating, long reviewCount) {
    }

    public record Written(ReviewView review, boolean created) {
    }

    private final MarketplaceStore store;
    private final Shelf shelf;
    private final Analytics analytics;
    private final UserDirectory users;
    private final ChangeFeed changes;
    private final Clock clock;
    private final Notifications notifications;

    Reviews(MarketplaceStore store, Shelf shelf, Analytics analytics, UserDirectory users, ChangeFeed changes,
            Clock clock, Notifications notifications) {
        this.notifications = notifications;
        this.store = store;
        this.shelf = shelf;
        this.analytics = analytics;
        this.users = users;
        this.changes = changes;
        this.clock = clock;
    }

    public Written write(UUID consumerId, UUID apiId, Integer rating, String comment) {
        List<FieldError> errors = new ArrayList<>();
        if (apiId == null) {
            errors.add(new FieldError("api_id", "is required"));
        }
        if (rating == null || rating < 1 || rating > 5) {
            errors.add(new FieldError("rating", "must be a whole number from 1 to 5"));
        }
        if (comment != null && comment.length() > MAX_COMMENT) {
            errors.add(new FieldError("comment", "must be at most " + MAX_COMMENT + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Listing listing = shelf.listing(apiId)
                .orElseThrow(() -> ProblemException.notFound("No listing of an API or model with id " + apiId + "."));
        if (consumerId.equals(listing.providerId())) {
            throw ProblemException.forbidden("Providers do not review their own APIs.");
        }
        Instant now = clock.instant();
        if (!analytics.succeeded(consumerId, apiId, Instant.EPOCH, now.plusSeconds(60))) {
            throw ProblemException.forbidden("Only consumers who have called " + listing.title()
                    + " successfully may review it; make a call first.");
        }
        return Transactions.uniquely(() -> {
            ReviewEntity review = store.review(apiId, consumerId).orElse(null);
            boolean created = review == null;
            if (created) {
                review = new ReviewEntity();
                review.id = UUID.randomUUID();
                review.apiId = apiId;
                review.consumerId = consumerId;
                review.createdAt = now;
            }
            review.rating = (short) (int) rating;
            review.comment = comment == null ? "" : comment.trim();
            review.updatedAt = now;
            if (created) {
                store.persist(review);
            }
            changes.changed(Marketplace.TOPIC);
            if (created && listing.providerId() != null) {
                notifications.notify(new Notifications.Notice(listing.providerId(), "new_review",
                        "New review of " + listing.title(), rating + " of 5" + (review.comment.isEmpty()
                                ? ""
                                : ": " + review.comment),
                        "/api/v1/marketplace/reviews?api_id=" + apiId, Map.of("api_id", apiId.toString(),
                                "review_id", review.id.toString(), "rating", rating),
                        "review:" + review.id));
            }
            return new Written(view(review, names(List.of(review)), false), created);
        }, "Your review was just written by another request; send it again to change it.");
    }

    /** The shown reviews of a listed API (admins also see hidden ones), newest or best rated first. */
    public Page list(UUID apiId, String sort, int skip, int limit, boolean admin) {
        List<FieldError> errors = new ArrayList<>();
        if (apiId == null) {
            errors.add(new FieldError("api_id", "is required"));
        }
        if (sort != null && !sort.equals("newest") && !sort.equals("rating")) {
            errors.add(new FieldError("sort", "must be newest or rating"));
        }
        Marketplace.checkPage(errors, skip, limit);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Listing listing = shelf.listing(apiId)
                .orElseThrow(() -> ProblemException.notFound("No listing of an API or model with id " + apiId + "."));
        return QuarkusTransaction.requiringNew().call(() -> {
            List<ReviewEntity> reviews = store.reviews(apiId, "rating".equals(sort), admin, skip, limit);
            Map<UUID, String> names = names(reviews);
            return new Page(reviews.stream().map(r -> view(r, names, admin)).toList(),
                    store.countReviews(apiId, admin),
                    listing.reviewCount() == 0 ? null : BigDecimal.valueOf(listing.rating()), listing.reviewCount());
        });
    }

    /** The provider's one reply to a review of their API. */
    public ReviewView reply(Actor actor, UUID reviewId, String reply) {
        if (reply == null || reply.isBlank() || reply.length() > MAX_COMMENT) {
            throw ProblemException.invalid("reply", "must be 1 to " + MAX_COMMENT + " characters");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ReviewEntity review = store.review(reviewId).filter(r -> !r.hidden || actor.admin())
                    .orElseThrow(() -> ProblemException.notFound("No review with id " + reviewId + "."));
            Listing listing = shelf.listing(review.apiId).orElse(null);
            boolean provider = listing != null && actor.userId().equals(listing.providerId());
            if (!provider) {
                throw ProblemException.forbidden("Only the provider of the reviewed API may reply.");
            }
            if (review.reply != null) {
                throw ProblemException.conflict("The review has a reply already; a provider replies once.");
            }
            review.reply = reply.trim();
            review.repliedAt = clock.instant();
            return view(review, names(List.of(review)), actor.admin());
        });
    }

    /** Hides a review from everyone but admins (it no longer counts toward the rating), or shows it again. */
    public ReviewView setHidden(UUID reviewId, boolean hidden) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ReviewEntity review = store.review(reviewId)
                    .orElseThrow(() -> ProblemException.notFound("No review with id " + reviewId + "."));
            if (review.hidden != hidden) {
                review.hidden = hidden;
                changes.changed(Marketplace.TOPIC);
            }
            return view(review, names(List.of(review)), true);
        });
    }

    private Map<UUID, String> names(List<ReviewEntity> reviews) {
        return users.usernames(reviews.stream().map(r -> r.consumerId).toList());
    }

    private static ReviewView view(ReviewEntity r, Map<UUID, String> names, boolean admin) {
        return new ReviewView(r.id, r.apiId, r.rating, r.comment, new Reviewer(r.consumerId, names.get(r.consumerId)),
                r.reply, r.repliedAt, admin ? r.hidden : null, r.createdAt, r.updatedAt);
    }
}
