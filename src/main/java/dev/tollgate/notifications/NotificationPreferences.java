package dev.tollgate.notifications;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tollgate.notifications.store.NotificationStore;
import dev.tollgate.notifications.store.PreferenceEntity;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemException.FieldError;
import dev.tollgate.platform.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Per user and event type, which channels deliver it: in the app (history and live push), by e-mail, to the user's
 * webhooks. Every channel is on until the user turns it off.
 */
@ApplicationScoped
public class NotificationPreferences {

    /** The event types users can set preferences for, in the order they are listed. */
    public static final List<String> EVENT_TYPES = List.of("quota_warning", "quota_exhausted", "low_balance",
            "topup_succeeded", "topup_failed", "payment_failed", "subscription_renewed", "subscription_past_due",
            "subscription_cancelled", "tier_changed", "new_subscriber", "new_review", "error_rate_spike",
            "payout_paid", "payout_rejected", "feedback_answered", "webhook_disabled", "broadcast");

    /** The channels of one event type. */
    public record Channels(boolean inApp, boolean email, boolean webhook) {
        static final Channels ALL = new Channels(true, true, true);
    }

    /** A change to one event type's channels; null leaves a channel as it is. */
    public record ChannelsChange(Boolean inApp, Boolean email, Boolean webhook) {
    }

    /** What {@code GET /notify/preferences} shows: every event type's channels, and whether e-mail is sent at all. */
    public record View(boolean emailAvailable, Map<String, Channels> preferences) {
    }

    private final NotificationStore store;
    private final Clock clock;
    private final boolean emailAvailable;

    NotificationPreferences(NotificationStore store, Clock clock, EmailSettings email) {
        this.store = store;
        this.clock = clock;
        this.emailAvailable = email.configured();
    }

    /** The channels of the type for the user (inside the caller's transaction). */
    Channels channels(UUID userId, String type) {
        return store.preference(userId, type).map(p -> new Channels(p.inApp, p.email, p.webhook))
                .orElse(Channels.ALL);
    }

    public View view(UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Channels> all = new LinkedHashMap<>();
            EVENT_TYPES.forEach(type -> all.put(type, Channels.ALL));
            store.preferences(userId).forEach(p -> all.put(p.type, new Channels(p.inApp, p.email, p.webhook)));
            return new View(emailAvailable, all);
        });
    }

    /** Changes the given types' channels; an unknown type or a missing change is a 422 and nothing changes. */
    public View update(UUID userId, Map<String, ChannelsChange> changes) {
        List<FieldError> errors = new ArrayList<>();
        if (changes == null || changes.isEmpty()) {
            errors.add(new FieldError("preferences", "must name at least one event type, e.g. "
                    + "{\"low_balance\": {\"email\": false}}"));
        } else {
            changes.forEach((type, change) -> {
                if (!EVENT_TYPES.contains(type)) {
                    errors.add(new FieldError(type, "is not an event type; one of " + String.join(", ", EVENT_TYPES)));
                } else if (change == null || (change.inApp() == null && change.email() == null
                        && change.webhook() == null)) {
                    errors.add(new FieldError(type, "must set at least one of in_app, email, webhook"));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Transactions.uniquely(() -> {
            store(userId, changes);
            return null;
        }, "Your preferences were changed at the same moment by another request; send the change again.");
        return view(userId);
    }

    private void store(UUID userId, Map<String, ChannelsChange> changes) {
        changes.forEach((type, change) -> {
            PreferenceEntity row = store.preference(userId, type).orElse(null);
            if (row == null) {
                row = new PreferenceEntity();
                row.userId = userId;
                row.type = type;
                row.inApp = row.email = row.webhook = true;
                apply(row, change);
                store.persist(row);
            } else {
                apply(row, change);
            }
        });
    }

    private void apply(PreferenceEntity row, ChannelsChange change) {
        if (change.inApp() != null) {
            row.inApp = change.inApp();
        }
        if (change.email() != null) {
            row.email = change.email();
        }
        if (change.webhook() != null) {
            row.webhook = change.webhook();
        }
        row.updatedAt = clock.instant();
    }
}
