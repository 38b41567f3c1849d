package dev.tollgate.notifications;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tollgate.accounts.TierChanged;
import dev.tollgate.notifications.Notifications.Notice;

/**
 * Tells a user that an admin changed their account tier. Accounts cannot call notifications (notifications depends on
 * accounts), so it fires {@link TierChanged} inside its transaction; the notice, given here in that same transaction,
 * is written once it commits. Worded like the tier changes of paid Stripe subscriptions (billing).
 */
@ApplicationScoped
class TierNotices {

    private final Notifications notifications;

    TierNotices(Notifications notifications) {
        this.notifications = notifications;
    }

    void tierChanged(@Observes TierChanged change) {
        notifications.notify(new Notice(change.userId(), "tier_changed",
                "Your account is now on the " + change.to().id() + " tier",
                "Changed because: an administrator moved your account from the " + change.from().id() + " to the "
                        + change.to().id() + " tier.",
                "/api/v1/users/me", Map.of("tier", change.to().id(), "previous_tier", change.from().id()),
                change.cause()));
    }
}
