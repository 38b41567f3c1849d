package dev.tollgate.platform.web;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;

/**
 * One Vert.x event loop per available core by default (Quarkus would start two), as a proxy should: the gateway's
 * work is all on event loops, and a second loop per core only adds context switches (measured in
 * {@code docs/BENCHMARKS.md}). {@code QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE} or application.properties still win.
 */
public class EventLoopSizing implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String loops = Integer.toString(Runtime.getRuntime().availableProcessors());
        // ordinal below application.properties (250) and the environment (300)
        return List.of(new PropertiesConfigSource(Map.of("quarkus.vertx.event-loops-pool-size", loops),
                "tollgate-event-loop-sizing", 150));
    }
}
