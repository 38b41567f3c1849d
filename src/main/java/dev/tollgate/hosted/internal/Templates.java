package dev.tollgate.hosted.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The library of ready-made hosted APIs a provider can start from, read once from the classpath: each template is
 * {@code hosted/templates/{id}.mjs} with its name, description, category and tests listed in
 * {@code hosted/templates/index.json}. Every template's tests pass in the sandbox ({@code TemplatesTest} runs them).
 * Immutable after loading; the methods are static, and an instance (for injection) reads the same list.
 */
public final class Templates {

    /** One template: its code and the tests that show it working. */
    public record Template(String id, String name, String description, String category, String code,
            List<ProgramTests.TestCase> tests) {
    }

    private static final String BASE = "/hosted/templates/";

    /** Loaded on first use; a broken index is a bug of the build, so it fails loudly. */
    private static final class Library {
        static final List<Template> ALL = load();
    }

    public Templates() {
    }

    /** Every template, in the index's order. */
    public static List<Template> all() {
        return Library.ALL;
    }

    public static Optional<Template> byId(String id) {
        return Library.ALL.stream().filter(template -> template.id().equals(id)).findFirst();
    }

    private static List<Template> load() {
        JsonNode index;
        try {
            index = new ObjectMapper().readTree(read("index.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Template> templates = new ArrayList<>();
        for (JsonNode entry : index) {
            String id = entry.path("id").asText();
            if (!id.matches("[a-z0-9-]+")) {
                throw new IllegalStateException("A template's id must be lower-case words with dashes: " + id);
            }
            try {
                templates.add(new Template(id, entry.path("name").asText(), entry.path("description").asText(),
                        entry.path("category").asText(), read(id + ".mjs"), ProgramTests.parse(entry.path("tests"))));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The template " + id + " is broken: " + e.getMessage(), e);
            }
        }
        return List.copyOf(templates);
    }

    private static String read(String name) {
        try (InputStream in = Templates.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing template resource " + BASE + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
