package dev.tollgate.accounts.internal;

import java.time.Duration;
import java.util.Optional;

import dev.tollgate.accounts.AccountsConfig;
import dev.tollgate.accounts.JwtConfig;

/** Plain implementations of the config interfaces for tests without Quarkus. */
final class TestConfigs {

    private TestConfigs() {
    }

    static AccountsConfig accounts(Duration accessTtl) {
        return new AccountsConfig() {
            @Override
            public String issuer() {
                return "tollgate";
            }

            @Override
            public Duration accessTokenTtl() {
                return accessTtl;
            }

            @Override
            public Duration refreshTokenTtl() {
                return Duration.ofDays(30);
            }

            @Override
            public int bcryptCost() {
                return 4;
            }

            @Override
            public int maxLoginFailures() {
                return 5;
            }

            @Override
            public Duration loginFailureWindow() {
                return Duration.ofMinutes(15);
            }

            @Override
            public Duration webSessionTtl() {
                return Duration.ofDays(7);
            }
        };
    }

    static JwtConfig jwt(String privateKeyFile) {
        return () -> Optional.ofNullable(privateKeyFile);
    }
}
