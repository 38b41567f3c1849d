-- Client and server errors as columns (issue 13): the endpoint rollups (scope 'e' of usage_latency) are no longer
-- split by status class, which made admin /analytics/performance merge three times as many latency histograms as
-- there are endpoints. A row now says how many of its errors were server errors (status 500 and above; the others of
-- its errors, 400-499, are client errors) and when the newest of each happened; last_error_at stays the newest of
-- both. Both tables carry the columns, written by the same code, so that /analytics/errors reads a consumer's own
-- calls (usage_rollups) the way it reads an API's (usage_latency).
--
-- Rows written before this migration keep their status class; readers group rows by the dimensions they ask for, so
-- old split rows and new whole-endpoint rows add up alike. Their new columns are derived from their status class
-- where they have one (usage_rollups, the endpoint rows of usage_latency and its geography rows written before V18);
-- the other rows of usage_latency have none and start at zero (no report reads their split).
--
-- Every node must run code that knows these columns once this migration has run: a node of an older version would
-- write and compact rows without them (stop every node, upgrade, start).
alter table usage_rollups add column server_errors bigint not null default 0;
alter table usage_rollups add column last_client_error_at timestamp with time zone;
alter table usage_rollups add column last_server_error_at timestamp with time zone;
alter table usage_latency add column server_errors bigint not null default 0;
alter table usage_latency add column last_client_error_at timestamp with time zone;
alter table usage_latency add column last_server_error_at timestamp with time zone;
update usage_rollups set server_errors = errors, last_server_error_at = last_error_at
    where status_class = 5 and errors > 0;
update usage_rollups set last_client_error_at = last_error_at where status_class = 4 and errors > 0;
update usage_latency set server_errors = errors, last_server_error_at = last_error_at
    where status_class = 5 and errors > 0;
update usage_latency set last_client_error_at = last_error_at where status_class = 4 and errors > 0;
