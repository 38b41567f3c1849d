-- Narrow rollups carry every count (issue 13): analytics for providers and admins read usage_latency alone, whose
-- rows per bucket do not grow with the number of consumers, instead of summing usage_rollups (one row per endpoint,
-- consumer, key, plan, status class, country and model). Two scopes are added beside 'e', 'c', 'g' and 'p':
--   'a' one API (model: the model's public name for AI calls),
--   'u' one consumer's calls to every API (the admin's top consumers, active consumers per minute);
-- and 'g' rows are now per API and country only (their errors column says what the status class did).
-- Rows written before this migration carry their calls and latency; of the new counts only the errors of scopes 'e'
-- and 'g' can be derived (their status class says it) and are; the others start at zero, and scopes 'a' and 'u'
-- have no rows before it. V17 and V18 ship in the same release (no release had V17 alone), so only development
-- databases hold such rows.
alter table usage_latency add column errors bigint not null default 0;
alter table usage_latency add column dispatched bigint not null default 0;
alter table usage_latency add column bytes_in bigint not null default 0;
alter table usage_latency add column bytes_out bigint not null default 0;
alter table usage_latency add column input_tokens bigint not null default 0;
alter table usage_latency add column output_tokens bigint not null default 0;
alter table usage_latency add column cached_tokens bigint not null default 0;
alter table usage_latency add column cost_micros bigint not null default 0;
alter table usage_latency add column model varchar(100);
update usage_latency set errors = calls where scope in ('e', 'g') and status_class >= 4;

-- one scope's rows of one API (or consumer) over a range of buckets, without reading the other scopes' rows
drop index ix_usage_latency_api;
drop index ix_usage_latency_consumer;
create index ix_usage_latency_api on usage_latency (api_id, scope, granularity, bucket);
create index ix_usage_latency_consumer on usage_latency (consumer_id, scope, granularity, bucket);
