package dev.tollgate.hosted;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A template of the library: what it does, its code and its example requests (code and tests for one template). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateView(String id, String name, String description, String category, String code,
        @Schema(description = "The example requests: {name, request, expected}") java.util.List<java.util.Map<String, Object>> tests) {
}
