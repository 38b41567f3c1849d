package dev.tollgate.admin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The configuration this node runs with, for {@code GET /api/v1/system/config}: every {@code tollgate.*} property and
 * the {@code quarkus.*} ones an operator tunes (HTTP, datasources, ORM, Flyway, logging, Vert.x, metrics, mail,
 * Redis, OpenAPI), each with the config source that set it. Secrets are {@linkplain Redaction redacted} by name
 * and by look. Values are read when asked, so a profile or environment variable in force is what is shown.
 */
@Singleton
public class EffectiveConfig {

    /** The {@code quarkus.*} prefixes shown; the rest are build internals an operator does not set. */
    private static final List<String> PREFIXES = List.of("tollgate.", "quarkus.application.", "quarkus.profile",
            "quarkus.http.", "quarkus.datasource.", "quarkus.hibernate-orm.", "quarkus.flyway.", "quarkus.log.",
            "quarkus.vertx.", "quarkus.micrometer.", "quarkus.mailer.", "quarkus.redis.", "quarkus.smallrye-openapi.",
            "quarkus.swagger-ui.", "quarkus.jackson.", "mp.jwt.", "smallrye.jwt.");

    /** One property: its value as shown and where it came from. */
    public record ConfigProperty(String name, String value, String source) {
    }

    private final Config config;

    EffectiveConfig(Config config) {
        this.config = config;
    }

    /** The active configuration profiles (e.g. {@code prod}), most significant first. */
    public List<String> profiles() {
        return ConfigUtils.getProfiles();
    }

    /** The shown properties, sorted by name, values redacted. */
    public List<ConfigProperty> properties() {
        TreeSet<String> names = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            // profile-specific spellings (%test.…) resolve into their plain names; environment spellings are skipped
            if (!name.startsWith("%") && shown(name)) {
                names.add(name);
            }
        }
        List<ConfigProperty> out = new ArrayList<>(names.size());
        for (String name : names) {
            ConfigValue value;
            try {
                value = config.getConfigValue(name);
            } catch (RuntimeException e) {
                continue; // an expression that cannot be expanded here: not in force
            }
            if (value == null || value.getValue() == null) {
                continue;
            }
            out.add(new ConfigProperty(name, Redaction.property(name, value.getValue()), source(value)));
        }
        return out;
    }

    private static boolean shown(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.equals(name)) {
            return false;
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The source's name without its ordinal and, for files, without the directories (which may name users). */
    private static String source(ConfigValue value) {
        String source = value.getSourceName();
        if (source == null) {
            return null;
        }
        int jar = source.lastIndexOf('!');
        int slash = source.lastIndexOf('/');
        int cut = Math.max(jar, slash);
        return cut >= 0 && source.contains("PropertiesConfigSource")
                ? source.substring(0, source.indexOf('[') + 1)
                        + source.substring(cut + 1)
                : source;
    }
}
