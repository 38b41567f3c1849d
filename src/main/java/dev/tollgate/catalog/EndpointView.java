package dev.tollgate.catalog;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One operation of an API, as imported from its OpenAPI document: method, path template (relative to the API's base
 * URL), id, summary and description, and its parameters, request body and responses as the document's OpenAPI objects
 * (local {@code $ref}s resolved).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(String method, String path, String operationId, String summary, String description,
        boolean deprecated,
        @Schema(description = "OpenAPI Parameter objects") List<Map<String, Object>> parameters,
        @Schema(description = "An OpenAPI Request Body object") Map<String, Object> requestBody,
        @Schema(description = "An OpenAPI Responses object") Map<String, Object> responses) {
}
