package dev.tollgate.hosted;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** A template of the library: what it does, its code and its example requests (code and tests for one template). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateView(String id, String name, String description, String category, String code,
        JsonNode tests) {
}
