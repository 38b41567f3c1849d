package dev.tollgate.portal.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Chart.js configurations of every portal chart, as JSON for {@code <canvas data-chart="…">} ({@code portal.js}
 * draws them). Built from maps, not records, so the mapper's naming strategy leaves Chart.js's keys alone. Each
 * series is one dataset, in the map's order, coloured from one palette.
 */
final class PortalCharts {

    private PortalCharts() {
    }

    /** A Chart.js line chart: one dataset per series, the same labels for all. */
    static String line(ObjectMapper json, List<String> labels, Map<String, List<? extends Number>> series,
            String yTitle) {
        return chart(json, "line", labels, series, false, false, yTitle);
    }

    /** A Chart.js bar chart, stacked or side by side, horizontal for rankings. */
    static String bar(ObjectMapper json, List<String> labels, Map<String, List<? extends Number>> series,
            boolean stacked, boolean horizontal, String valueTitle) {
        return chart(json, "bar", labels, series, stacked, horizontal, valueTitle);
    }

    private static final String[] COLOURS = {"#2563eb", "#d97706", "#dc2626", "#059669", "#7c3aed"};

    private static String chart(ObjectMapper json, String type, List<String> labels,
            Map<String, List<? extends Number>> series, boolean stacked, boolean horizontal, String valueTitle) {
        List<Map<String, Object>> datasets = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<? extends Number>> s : series.entrySet()) {
            Map<String, Object> dataset = new LinkedHashMap<>();
            dataset.put("label", s.getKey());
            dataset.put("data", s.getValue());
            dataset.put("borderColor", COLOURS[i % COLOURS.length]);
            dataset.put("backgroundColor", COLOURS[i % COLOURS.length]);
            if ("line".equals(type)) {
                dataset.put("pointRadius", 0);
                dataset.put("tension", 0.2);
            }
            datasets.add(dataset);
            i++;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("beginAtZero", true);
        boolean counts = series.values().stream().flatMap(List::stream)
                .allMatch(n -> n == null || n instanceof Long || n instanceof Integer);
        if (counts) {
            value.put("ticks", Map.of("precision", 0)); // no 0.5 calls on the axis
        }
        value.put("stacked", stacked);
        value.put("title", Map.of("display", valueTitle != null, "text", valueTitle == null ? "" : valueTitle));
        Map<String, Object> category = Map.of("stacked", stacked);
        Map<String, Object> options = new LinkedHashMap<>();
        if (horizontal) {
            options.put("indexAxis", "y");
            options.put("scales", Map.of("x", value, "y", category));
        } else {
            options.put("scales", Map.of("x", category, "y", value));
        }
        options.put("interaction", Map.of("mode", "index", "intersect", false));
        options.put("plugins", Map.of("legend", Map.of("display", series.size() > 1)));
        try {
            return json.writeValueAsString(Map.of("type", type, "data", Map.of("labels", labels, "datasets",
                    datasets), "options", options));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A chart did not serialise", e);
        }
    }
}
