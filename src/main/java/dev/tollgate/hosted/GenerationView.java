package dev.tollgate.hosted;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A generation job: {@code status} {@code queued}, {@code running}, {@code ready} (the code passed its examples) or
 * {@code failed}; its progress events ({@code {at, stage, message}}); once done, the API and draft version it made with
 * the code, the examples and their results ({@code tests}), the model's explanation, the attempts (1 + repairs) and
 * what the model calls cost.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationView(UUID jobId, String status, String prompt, String name, UUID apiId, Integer version,
        String code,
        @Schema(description = "The examples with their results: {name, request, expected, passed, actual_status, actual_body, error}") java.util.List<java.util.Map<String, Object>> tests,
        String explanation, int attempts, BigDecimal cost,
        @Schema(description = "Progress events: {at, stage, message}") java.util.List<java.util.Map<String, Object>> progress,
        String error,
        Instant createdAt, Instant finishedAt) {
}
