package dev.tollgate.metering.rollup;

import java.util.UUID;

/**
 * What the calls of one narrow rollup ({@code usage_latency} row) share, besides their bucket, in one of six scopes:
 * an API ({@code a}; with the model for AI calls, as in {@code c}), an API's endpoint ({@code e}), a consumer's calls
 * to one API ({@code c}), a consumer's calls to every API ({@code u}), an API's calls from one country ({@code g}),
 * or every call ({@code p}). Fields outside the scope are null; the status class is 0, except in endpoint rows
 * written before migration V20, which were split by status class.
 */
record LatencyKey(char scope, UUID apiId, String endpoint, int statusClass, UUID consumerId, String country,
        String model) {

    static final char API = 'a';
    static final char ENDPOINT = 'e';
    static final char CONSUMER = 'c';
    static final char CALLER = 'u';
    static final char GEOGRAPHY = 'g';
    static final char PLATFORM = 'p';
    static final LatencyKey WHOLE_PLATFORM = new LatencyKey(PLATFORM, null, null, 0, null, null, null);
}
