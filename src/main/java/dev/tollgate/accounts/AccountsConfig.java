package dev.tollgate.accounts;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Login, token and password settings ({@code tollgate.auth.*}). */
@ConfigMapping(prefix = "tollgate.auth")
public interface AccountsConfig {

    /** {@code iss} of issued access tokens. */
    @WithDefault("tollgate")
    String issuer();

    /** Lifetime of an access token (JWT). */
    @WithDefault("15M")
    Duration accessTokenTtl();

    /** Lifetime of a refresh token; each refresh issues a new one. */
    @WithDefault("30D")
    Duration refreshTokenTtl();

    /** bcrypt work factor (4–31); each step doubles the hashing time. */
    @WithDefault("12")
    int bcryptCost();

    /** Failed logins per account or per client address within {@link #loginFailureWindow()} before 429. */
    @WithDefault("5")
    int maxLoginFailures();

    @WithDefault("15M")
    Duration loginFailureWindow();

    /** Lifetime of a portal sign-in (the browser's session cookie), counted from sign-in. */
    @WithDefault("7D")
    Duration webSessionTtl();
}
