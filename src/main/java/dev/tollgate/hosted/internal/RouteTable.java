package dev.tollgate.hosted.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes a module exports, keyed {@code "METHOD /path"}, and how a request finds one.
 * <ul>
 * <li>A path segment {@code {name}} matches any one non-empty segment and becomes {@code req.params.name}
 * (percent-decoded); other segments match literally. Empty segments are ignored, so {@code /facts/} is
 * {@code /facts}.</li>
 * <li>The method is one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, or {@code ANY} (also written {@code *}) for
 * every method.</li>
 * <li>Among the routes whose method fits, the most specific path wins: compared segment by segment, a literal beats a
 * parameter at the first place they differ; at equal paths an exact method beats {@code ANY}.</li>
 * <li>A path that matches only routes of other methods is a 405 with those methods in {@code Allow}; no path at all
 * is a 404.</li>
 * </ul>
 * Immutable; thread-safe.
 */
final class RouteTable {

    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** One parsed route key. */
    record Route(String key, String method, List<String> segments) {

        boolean anyMethod() {
            return "ANY".equals(method);
        }

        /** The parameter name of segment {@code i}, or {@code null} for a literal. */
        String parameter(int i) {
            String segment = segments.get(i);
            return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")
                    ? segment.substring(1, segment.length() - 1)
                    : null;
        }
    }

    /** The outcome of a lookup: a route with its parameters, or the methods the path allows (empty: no such path). */
    record Match(Route route, Map<String, String> params, Set<String> allowed) {
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    /** Parses route keys; {@link Sandbox.Failure} {@code invalid} naming the first bad one. */
    static RouteTable of(List<String> keys) {
        List<Route> routes = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String key : keys) {
            Route route = parse(key);
            String normal = route.method() + " " + String.join("/", route.segments().stream()
                    .map(s -> s.startsWith("{") ? "{}" : s).toList());
            if (!seen.add(normal)) {
                throw new Sandbox.Failure("invalid", "Route \"" + key + "\" repeats another route with the same method"
                        + " and path");
            }
            routes.add(route);
        }
        return new RouteTable(List.copyOf(routes));
    }

    static Route parse(String key) {
        String[] parts = key.trim().split("\\s+");
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new Sandbox.Failure("invalid",
                    "Route \"" + key + "\" must be \"METHOD /path\", e.g. \"GET /facts/{id}\"");
        }
        String method = parts[0].equals("*") ? "ANY" : parts[0].toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("ANY") && !METHODS.contains(method)) {
            throw new Sandbox.Failure("invalid", "Route \"" + key + "\" has an unknown method; use one of "
                    + String.join(", ", METHODS) + " or ANY");
        }
        List<String> segments = segments(parts[1]);
        for (String segment : segments) {
            boolean parameter = segment.startsWith("{") || segment.endsWith("}");
            if (parameter && !segment.matches("\\{[A-Za-z_$][A-Za-z0-9_$]*}")) {
                throw new Sandbox.Failure("invalid", "Route \"" + key + "\" has a bad parameter \"" + segment
                        + "\"; write {name} with a letter first");
            }
        }
        return new Route(key, method, segments);
    }

    List<Route> routes() {
        return routes;
    }

    /** The route for the method and path (raw, percent-encoded). */
    Match match(String method, String path) {
        List<String> segments = segments(path == null ? "/" : path);
        Route best = null;
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (!matches(route, segments)) {
                continue;
            }
            if (!route.anyMethod() && !route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            if (best == null || compare(route, best) > 0) {
                best = route;
            }
        }
        if (best == null) {
            return new Match(null, Map.of(), allowed);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String name = best.parameter(i);
            if (name != null) {
                params.put(name, decode(segments.get(i)));
            }
        }
        return new Match(best, params, Set.of());
    }

    private static boolean matches(Route route, List<String> segments) {
        if (route.segments().size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (route.parameter(i) == null && !route.segments().get(i).equals(decode(segments.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** Positive when {@code a} is more specific than {@code b} (both match the same path). */
    private static int compare(Route a, Route b) {
        for (int i = 0; i < a.segments().size(); i++) {
            boolean literalA = a.parameter(i) == null;
            boolean literalB = b.parameter(i) == null;
            if (literalA != literalB) {
                return literalA ? 1 : -1;
            }
        }
        return Boolean.compare(!a.anyMethod(), !b.anyMethod());
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
