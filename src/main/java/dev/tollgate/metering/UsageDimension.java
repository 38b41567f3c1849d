package dev.tollgate.metering;

/** What usage can be grouped by. {@code BUCKET} groups by time, at the granularity the query names. */
public enum UsageDimension {
    BUCKET, API, ENDPOINT, CONSUMER, KEY, PLAN, STATUS_CLASS, COUNTRY, MODEL
}
