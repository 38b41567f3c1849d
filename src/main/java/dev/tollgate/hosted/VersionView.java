package dev.tollgate.hosted;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A version of a hosted API's code. {@code status}: {@code ready} (every test passed), {@code failed} (a test failed)
 * or {@code untested} (no tests); {@code source}: {@code code}, {@code template} or {@code generated}. The code, the
 * tests and their results are shown for one version, not in lists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionView(UUID apiId, int number, String status, String source, String templateId,
        String explanation, UUID authorId, Instant createdAt, boolean active, int testsPassed, int testsTotal,
        String code, JsonNode tests, JsonNode testResults) {
}
