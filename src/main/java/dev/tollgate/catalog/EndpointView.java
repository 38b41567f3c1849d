package dev.tollgate.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One operation of an API, as imported from its OpenAPI document: method, path template (relative to the API's base
 * URL), id, summary and description, and its parameters, request body and responses as the document's OpenAPI objects
 * (local {@code $ref}s resolved).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(String method, String path, String operationId, String summary, String description,
        boolean deprecated, JsonNode parameters, JsonNode requestBody, JsonNode responses) {
}
