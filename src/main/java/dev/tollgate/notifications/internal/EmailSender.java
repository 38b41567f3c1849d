package dev.tollgate.notifications.internal;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.tollgate.accounts.UserDirectory;
import dev.tollgate.accounts.UserView;
import dev.tollgate.notifications.EmailSettings;
import dev.tollgate.notifications.Notifications.NotificationView;
import dev.tollgate.platform.WorkQueue;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/**
 * E-mails a notification to its user through SMTP (Quarkus Mailer), as plain text and HTML from the Qute templates
 * {@code email/notification.txt} and {@code .html}. Sent off the writing thread after the notification committed;
 * a send that fails is tried twice more (after 5 s and 30 s), then logged. Nothing is sent when SMTP is not set up.
 */
@ApplicationScoped
public class EmailSender implements WorkQueue {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);
    private static final long[] RETRY_SECONDS = {5, 30};

    private final Mailer mailer;
    private final UserDirectory users;
    private final EmailSettings settings;
    private final Template text;
    private final Template html;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tollgate-email");
        thread.setDaemon(true);
        return thread;
    });

    EmailSender(Mailer mailer, UserDirectory users, EmailSettings settings,
            @Location("email/notification.txt") Template text, @Location("email/notification.html") Template html) {
        this.mailer = mailer;
        this.users = users;
        this.settings = settings;
        this.text = text;
        this.html = html;
    }

    /** E-mails the notification to the user, later, if SMTP is set up. */
    public void send(UUID userId, NotificationView notification) {
        if (settings.configured()) {
            waiting.incrementAndGet();
            worker.execute(() -> attempt(userId, notification, 0));
        }
    }

    private void attempt(UUID userId, NotificationView notification, int retry) {
        try {
            send(userId, notification, retry);
        } finally {
            waiting.decrementAndGet();
        }
    }

    private void send(UUID userId, NotificationView notification, int retry) {
        UserView user;
        try {
            user = users.get(userId);
        } catch (RuntimeException e) {
            LOG.warnf("Not e-mailing notification %s: user %s is gone", notification.id(), userId);
            return;
        }
        try {
            mailer.send(Mail.withText(user.email(), notification.title(), render(text, user, notification))
                    .setHtml(render(html, user, notification)));
            LOG.debugf("E-mailed notification %s (%s) to user %s", notification.id(),
                    notification.notificationType(), userId);
        } catch (RuntimeException e) {
            if (retry < RETRY_SECONDS.length) {
                LOG.warnf("E-mailing notification %s to user %s failed (%s); trying again in %d s",
                        notification.id(), userId, e.getMessage(), RETRY_SECONDS[retry]);
                waiting.incrementAndGet();
                worker.schedule(() -> attempt(userId, notification, retry + 1), RETRY_SECONDS[retry],
                        TimeUnit.SECONDS);
            } else {
                LOG.errorf("E-mailing notification %s to user %s failed %d times; giving up (%s)",
                        notification.id(), userId, retry + 1, e.getMessage());
            }
        }
    }

    private String render(Template template, UserView user, NotificationView n) {
        String base = settings.publicUrl().replaceAll("/+$", "");
        // only links into Tollgate: a path of it, or an absolute URL under its public address
        String url = n.actionUrl();
        String link = url == null
                ? null
                : url.startsWith("/") && !url.startsWith("//")
                        ? base + url
                        : url.startsWith(base + "/") ? url : null;
        TemplateInstance instance = template.data("username", user.username()).data("title", n.title())
                .data("message", n.message()).data("link", link).data("type", n.notificationType())
                .data("preferencesUrl", base + "/api/v1/notify/preferences");
        return instance.render();
    }

    @Override
    public String name() {
        return "emails";
    }

    /** E-mails waiting to be sent, retries included. */
    @Override
    public int depth() {
        return waiting.get();
    }

    @Override
    public int capacity() {
        return -1;
    }

    /** Waits for the e-mails queued before the call to be tried (retries scheduled for later are not awaited). */
    @Override
    public boolean drain(Duration timeout) throws InterruptedException {
        try {
            worker.submit(() -> {
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return false;
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
