package dev.tollgate.notifications;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * E-mail over SMTP ({@code TOLLGATE_SMTP_*}): on when a host is set. The connection itself (port, user, password,
 * TLS, sender) is Quarkus Mailer's configuration, which {@code application.properties} fills from the same variables.
 */
@ConfigMapping(prefix = "tollgate.smtp")
public interface EmailSettings {

    /** The SMTP server; without it no e-mail is sent and the preferences say so. */
    Optional<String> host();

    /** The address links in e-mails start with (the portal's public URL). */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    default boolean configured() {
        return host().filter(h -> !h.isBlank()).isPresent();
    }
}
