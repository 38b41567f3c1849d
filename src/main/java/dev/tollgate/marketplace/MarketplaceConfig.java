package dev.tollgate.marketplace;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The marketplace ({@code tollgate.marketplace.*}). */
@ConfigMapping(prefix = "tollgate.marketplace")
public interface MarketplaceConfig {

    /** How often the listings' usage figures (calls, uptime and median latency of 30 days) are read again. */
    @WithDefault("60s")
    Duration statsRefresh();
}
