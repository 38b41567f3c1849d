package dev.tollgate.metering.rollup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The path templates of APIs' imported endpoints ({@code "GET /pets/{petId}"}), to name the endpoint of a call by the
 * operation it reached: a call's path (after {@code /gw/{slug}}) matches a template of its method with as many
 * segments, each literal segment equal and each {@code {param}} segment non-empty; of several, the one with the most
 * literal segments, earliest first, wins. Immutable; built on the usage writer's side from the catalog.
 */
final class PathTemplates {

    static final PathTemplates NONE = new PathTemplates(Map.of());

    private record Template(String name, String[] segments, int literals) {
    }

    /** API → "METHOD segment-count" → templates, most literal first. */
    private final Map<UUID, Map<String, List<Template>>> byApi;

    private PathTemplates(Map<UUID, Map<String, List<Template>>> byApi) {
        this.byApi = byApi;
    }

    /** From each API's endpoints as "METHOD /path". */
    static PathTemplates of(Map<UUID, List<String>> endpoints) {
        Map<UUID, Map<String, List<Template>>> byApi = new HashMap<>();
        endpoints.forEach((api, lines) -> {
            Map<String, List<Template>> templates = new HashMap<>();
            for (String line : lines) {
                int space = line.indexOf(' ');
                String method = line.substring(0, space).toUpperCase(Locale.ROOT);
                String path = line.substring(space + 1);
                String[] segments = segments(path);
                int literals = 0;
                for (String segment : segments) {
                    literals += isParameter(segment) ? 0 : 1;
                }
                String name = method + " " + path;
                templates.computeIfAbsent(method + " " + segments.length, k -> new ArrayList<>())
                        .add(new Template(name.length() > Endpoints.MAX_LENGTH
                                ? name.substring(0, Endpoints.MAX_LENGTH)
                                : name, segments, literals));
            }
            // stable: of equally literal templates the document's first stays first
            templates.values().forEach(list -> list.sort(Comparator.comparingInt(Template::literals).reversed()));
            byApi.put(api, templates);
        });
        return new PathTemplates(byApi);
    }

    /** The template the call reached, or null when the API has none that matches. */
    String match(UUID apiId, String method, String path) {
        Map<String, List<Template>> templates = byApi.get(apiId);
        if (templates == null) {
            return null;
        }
        String[] segments = segments(path);
        List<Template> candidates = templates.get(method + " " + segments.length);
        if (candidates == null) {
            return null;
        }
        for (Template template : candidates) {
            if (matches(template.segments(), segments)) {
                return template.name();
            }
        }
        return null;
    }

    private static boolean matches(String[] template, String[] path) {
        for (int i = 0; i < template.length; i++) {
            if (isParameter(template[i]) ? path[i].isEmpty() : !template[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    /** "/a/b/" → [a, b, ""]; "/" → []. */
    private static String[] segments(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        return rest.isEmpty() ? new String[0] : rest.split("/", -1);
    }
}
