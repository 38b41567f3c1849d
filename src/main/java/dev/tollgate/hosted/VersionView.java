package dev.tollgate.hosted;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A version of a hosted API's code. {@code status}: {@code ready} (every test passed), {@code failed} (a test failed)
 * or {@code untested} (no tests); {@code source}: {@code code}, {@code template} or {@code generated}. The code, the
 * tests and their results are shown for one version, not in lists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionView(UUID apiId, int number, String status, String source, String templateId,
        String explanation, UUID authorId, Instant createdAt, boolean active, int testsPassed, int testsTotal,
        String code,
        @Schema(description = "The example requests: {name, request, expected}") java.util.List<java.util.Map<String, Object>> tests,
        @Schema(description = "Their results: {name, request, expected, passed, actual_status, actual_body, error}") java.util.List<java.util.Map<String, Object>> testResults) {
}
