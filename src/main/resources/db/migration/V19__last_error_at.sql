-- When each rollup's newest error happened (issue 13): the time of the newest call answered with status 400 or
-- above among the row's calls, null when it has none. Compaction keeps the newest of the rows it adds up, so a day
-- row still knows the exact millisecond of its last error and /analytics/errors reads it in one query instead of
-- looking day by day, hour by hour and minute by minute. Rows written before this migration are dated by the start of
-- their bucket.
alter table usage_rollups add column last_error_at timestamp with time zone;
alter table usage_latency add column last_error_at timestamp with time zone;
update usage_rollups set last_error_at = bucket where errors > 0;
update usage_latency set last_error_at = bucket where errors > 0;
