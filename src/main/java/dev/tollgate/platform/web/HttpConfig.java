package dev.tollgate.platform.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** HTTP behaviour shared by every endpoint. */
@ConfigMapping(prefix = "tollgate.http")
interface HttpConfig {

    /** Largest request body accepted under {@code /api}; larger ones get a 413 problem. */
    @WithDefault("1M")
    MemorySize apiMaxBodySize();
}
