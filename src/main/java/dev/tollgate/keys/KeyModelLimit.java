package dev.tollgate.keys;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A key's limits on one AI model, per minute: requests, and tokens (prompt + completion). A member left out (null)
 * means no limit on that measure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyModelLimit(Long requestsPerMinute, Long tokensPerMinute) {
}
