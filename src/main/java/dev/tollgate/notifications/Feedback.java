package dev.tollgate.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tollgate.notifications.Notifications.Notice;
import dev.tollgate.notifications.store.FeedbackEntity;
import dev.tollgate.notifications.store.NotificationStore;
import dev.tollgate.platform.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Users' feedback to the admins (seed 002): a bug, feature request, question or other message; admins review and
 * resolve it with a response, which notifies the author (once per status it reaches).
 */
@ApplicationScoped
public class Feedback {

    public static final Set<String> TYPES = Set.of("bug", "feature", "question", "other");
    public static final Set<String> STATUSES = Set.of("pending", "reviewed", "resolved");

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FeedbackView(UUID id, UUID userId, String type, String message, String status,
            String adminResponse, Instant createdAt, Instant updatedAt) {
    }

    private final NotificationStore store;
    private final Notifications notifications;
    private final Clock clock;

    Feedback(NotificationStore store, Notifications notifications, Clock clock) {
        this.store = store;
        this.notifications = notifications;
        this.clock = clock;
    }

    public FeedbackView submit(UUID userId, String type, String message) {
        if (type == null || !TYPES.contains(type)) {
            throw ProblemException.invalid("type", "must be bug, feature, question or other");
        }
        if (message == null || message.isBlank() || message.length() > 4000) {
            throw ProblemException.invalid("message", "must be 1 to 4000 characters");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            FeedbackEntity feedback = new FeedbackEntity();
            feedback.id = UUID.randomUUID();
            feedback.userId = userId;
            feedback.type = type;
            feedback.message = message.trim();
            feedback.status = "pending";
            feedback.createdAt = now;
            feedback.updatedAt = now;
            store.persist(feedback);
            return view(feedback);
        });
    }

    public List<FeedbackView> mine(UUID userId) {
        return QuarkusTransaction.requiringNew().call(() -> store.feedbackOf(userId).stream().map(Feedback::view)
                .toList());
    }

    public List<FeedbackView> all(String status, int skip, int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.invalid("status", "must be pending, reviewed or resolved");
        }
        if (skip < 0 || limit < 1 || limit > 200) {
            throw ProblemException.invalid(skip < 0 ? "skip" : "limit",
                    skip < 0 ? "must be at least 0" : "must be 1 to 200");
        }
        return QuarkusTransaction.requiringNew().call(() -> store.feedbackWith(status, skip, limit).stream()
                .map(Feedback::view).toList());
    }

    /** An admin's answer: a new status and/or response; the author is told once per status reached. */
    public FeedbackView answer(UUID id, String status, String response) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.invalid("status", "must be pending, reviewed or resolved");
        }
        if (response != null && response.length() > 4000) {
            throw ProblemException.invalid("admin_response", "must be at most 4000 characters");
        }
        if (status == null && (response == null || response.isBlank())) {
            throw ProblemException.invalid("status", "give a status, an admin_response, or both");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            FeedbackEntity feedback = store.feedback(id)
                    .orElseThrow(() -> ProblemException.notFound("No feedback with id " + id + "."));
            if (status != null) {
                feedback.status = status;
            }
            if (response != null && !response.isBlank()) {
                feedback.adminResponse = response.trim();
            }
            feedback.updatedAt = clock.instant();
            notifications.notify(new Notice(feedback.userId, "feedback_answered",
                    "Your " + feedback.type + " feedback is " + feedback.status,
                    feedback.adminResponse == null ? "An admin looked at your feedback." : feedback.adminResponse,
                    "/api/v1/feedback", Map.of("feedback_id", feedback.id.toString(), "status", feedback.status),
                    "feedback:" + feedback.id + ":" + feedback.status + ":"
                            + (feedback.adminResponse == null ? 0 : feedback.adminResponse.hashCode())));
            return view(feedback);
        });
    }

    private static FeedbackView view(FeedbackEntity f) {
        return new FeedbackView(f.id, f.userId, f.type, f.message, f.status, f.adminResponse, f.createdAt,
                f.updatedAt);
    }
}
