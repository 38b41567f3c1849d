package dev.tollgate.metering.rollup;

import java.util.UUID;

/**
 * What the calls of one {@code usage_latency} row share, besides their bucket: an API's endpoint and status class
 * (scope {@code e}), a consumer's calls to one API (scope {@code c}, status class 0), an API's calls from one country
 * with one status class (scope {@code g}), or every call (scope {@code p}). Fields outside the scope are null (0).
 */
record LatencyKey(char scope, UUID apiId, String endpoint, int statusClass, UUID consumerId, String country) {

    static final char ENDPOINT = 'e';
    static final char CONSUMER = 'c';
    static final char GEOGRAPHY = 'g';
    static final char PLATFORM = 'p';
    static final LatencyKey WHOLE_PLATFORM = new LatencyKey(PLATFORM, null, null, 0, null, null);
}
