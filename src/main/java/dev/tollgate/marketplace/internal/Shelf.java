package dev.tollgate.marketplace.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.marketplace.MarketplaceConfig;
import dev.tollgate.metering.Analytics;
import dev.tollgate.metering.Analytics.ApiFigures;

/**
 * The marketplace's snapshot: the listings shown now (public, active APIs their owners published, and enabled AI
 * models), their search index, and their usage figures of the last 30 days. The snapshot is replaced on every change
 * of the catalog, the models or the marketplace (see {@code MarketplaceDeployer}); the figures are read from the usage
 * rollups every {@code tollgate.marketplace.stats-refresh}. Reads never touch the database.
 */
@ApplicationScoped
public class Shelf {

    private static final Logger LOG = Logger.getLogger(Shelf.class);
    private static final Duration FIGURES_WINDOW = Duration.ofDays(30);

    /** The listings shown, newest first, and by slug and id. */
    public record Snapshot(List<Listing> listings, Map<String, Listing> bySlug, Map<UUID, Listing> byApi) {

        static Snapshot of(List<Listing> listings) {
            List<Listing> sorted = listings.stream()
                    .sorted(Comparator.comparing(Listing::publishedAt).reversed().thenComparing(Listing::slug))
                    .toList();
            return new Snapshot(sorted, sorted.stream().collect(Collectors.toMap(Listing::slug, Function.identity())),
                    sorted.stream().collect(Collectors.toMap(Listing::apiId, Function.identity())));
        }
    }

    private final ListingIndex index = new ListingIndex();
    private final Analytics analytics;
    private final Clock clock;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-marketplace-figures");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Snapshot current = Snapshot.of(List.of());
    private volatile Map<UUID, ApiFigures> figures = Map.of();
    private boolean figuresFailing;

    Shelf(Analytics analytics, Clock clock, MarketplaceConfig config) {
        this.analytics = analytics;
        this.clock = clock;
        long every = config.statsRefresh().toMillis();
        refresher.scheduleWithFixedDelay(this::refreshFigures, 0, every, TimeUnit.MILLISECONDS);
    }

    public Snapshot current() {
        return current;
    }

    public Optional<Listing> listing(UUID apiId) {
        return Optional.ofNullable(current.byApi().get(apiId));
    }

    public ListingIndex index() {
        return index;
    }

    /** Every listing's usage of the last 30 days (those without calls are missing). */
    public Map<UUID, ApiFigures> figures() {
        return figures;
    }

    /** The listing's usage of the last 30 days, or null without calls. */
    public ApiFigures figures(UUID apiId) {
        return figures.get(apiId);
    }

    synchronized void publish(List<Listing> listings) {
        Snapshot next = Snapshot.of(listings);
        index.sync(next.listings());
        current = next;
    }

    private void refreshFigures() {
        try {
            Instant now = clock.instant();
            figures = Map.copyOf(analytics.apiFigures(now.minus(FIGURES_WINDOW), now.plusSeconds(60)));
            if (figuresFailing) {
                figuresFailing = false;
                LOG.info("Reading the listings' usage figures works again");
            }
        } catch (RuntimeException e) {
            if (!figuresFailing) {
                figuresFailing = true;
                LOG.warnf(e, "Reading the listings' usage figures failed; the last ones stay shown and it is retried");
            }
        }
    }

    @PreDestroy
    void stop() throws IOException {
        refresher.shutdownNow();
        index.close();
    }
}
