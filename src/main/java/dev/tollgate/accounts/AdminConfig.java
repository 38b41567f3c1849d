package dev.tollgate.accounts;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The first administrator, created at start-up when no administrator exists ({@code TOLLGATE_ADMIN_*}). Without a
 * password one is generated and printed once.
 */
@ConfigMapping(prefix = "tollgate.admin")
public interface AdminConfig {

    @WithDefault("admin")
    String username();

    Optional<String> email();

    Optional<String> password();
}
