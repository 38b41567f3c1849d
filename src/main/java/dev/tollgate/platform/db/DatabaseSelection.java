package dev.tollgate.platform.db;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Chooses the database at start-up: PostgreSQL when {@code tollgate.db.url} ({@code TOLLGATE_DB_URL}) is set,
 * the embedded H2 file database otherwise.
 * <p>
 * A datasource's kind is fixed when Quarkus builds the application, so both datasources (and a persistence unit
 * and Flyway instance for each) are built in; this factory switches exactly one of them on. Everything else
 * obtains the active one through {@link ActiveDatabase}.
 */
public class DatabaseSelection implements ConfigSourceFactory {

    /** Set to {@code postgresql} or {@code h2}. */
    public static final String KIND_PROPERTY = "tollgate.db.kind";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue("tollgate.db.url");
        boolean postgres = url != null && url.getValue() != null && !url.getValue().isBlank();
        String on = Boolean.toString(postgres);
        String off = Boolean.toString(!postgres);
        Map<String, String> properties = Map.of(
                KIND_PROPERTY, postgres ? "postgresql" : "h2",
                "quarkus.datasource.postgres.active", on,
                "quarkus.hibernate-orm.postgres.active", on,
                "quarkus.flyway.postgres.active", on,
                "quarkus.datasource.embedded.active", off,
                "quarkus.hibernate-orm.embedded.active", off,
                "quarkus.flyway.embedded.active", off);
        // ordinal above application.properties (250) so a stray setting there cannot enable both
        return List.of(new PropertiesConfigSource(properties, "tollgate-database-selection", 275));
    }
}
