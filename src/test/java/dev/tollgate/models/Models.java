package dev.tollgate.models;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Request bodies for the admin models API in tests. */
final class Models {

    private Models() {
    }

    static Map<String, Object> channel(String provider, String baseUrl, String apiKey, String upstreamModel) {
        Map<String, Object> channel = new HashMap<>();
        channel.put("provider", provider);
        channel.put("base_url", baseUrl);
        if (apiKey != null) {
            channel.put("api_key", apiKey);
        }
        channel.put("upstream_model", upstreamModel);
        return channel;
    }

    static Map<String, Object> model(String name, List<Map<String, Object>> channels) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("display_name", "Model " + name);
        body.put("enabled", true);
        body.put("pricing", Map.of("input_per_million", 0.15, "output_per_million", 0.6,
                "cached_input_per_million", 0.075));
        body.put("max_output_tokens", 16384);
        body.put("channels", channels);
        return body;
    }
}
