package dev.tollgate.gateway;

/**
 * A key's limits on calls to one AI model, per minute: requests and tokens (prompt + completion). 0 means no limit
 * on that measure; {@link #NONE} limits nothing.
 */
public record ModelLimit(long requestsPerMinute, long tokensPerMinute) {

    public static final ModelLimit NONE = new ModelLimit(0, 0);

    public ModelLimit {
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new IllegalArgumentException("limits are 0 (none) or positive");
        }
    }
}
