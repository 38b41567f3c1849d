package dev.tollgate.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API as shown over the API. {@code base_url}, {@code timeout_ms} and {@code max_request_body_bytes} (the request
 * body limit in force: the API's own or the platform's default) are shown to its owner and admins only: others call
 * it through {@code gateway_url}. {@code kind}: {@code proxy} (calls go to {@code base_url}) or {@code hosted} (Tollgate
 * runs the API's code; no {@code base_url}, see docs/HOSTED.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiView(UUID id, UUID ownerId, String name, String slug, String description, String baseUrl,
        String version, String category, List<String> tags, String visibility, String status, String kind,
        Integer timeoutMs,
        Long maxRequestBodyBytes, String gatewayUrl, Instant createdAt, Instant updatedAt) {
}
