-- Per-token billing of AI calls (the AI proxy, /v1). Portable between H2 2.x and PostgreSQL.

-- An AI call's charge is a ledger transaction of its own that names the model and the tokens it paid for.
alter table ledger_transactions add column model varchar(100);
alter table ledger_transactions add column input_tokens bigint;
alter table ledger_transactions add column output_tokens bigint;

-- AI calls are usage events like gateway calls; for them api_id holds the model's id and these are set.
alter table usage_events add column model varchar(100);
-- prompt tokens, including cached_tokens
alter table usage_events add column input_tokens bigint;
alter table usage_events add column output_tokens bigint;
alter table usage_events add column cached_tokens bigint;
-- counted by Tollgate (JTokkit) because the upstream reported none
alter table usage_events add column tokens_estimated boolean;
-- what the call cost the consumer, and the prices it was charged at (micros per million tokens)
alter table usage_events add column cost_micros bigint;
alter table usage_events add column input_per_million bigint;
alter table usage_events add column output_per_million bigint;
alter table usage_events add column cached_input_per_million bigint;
-- the channel (provider endpoint) that answered
alter table usage_events add column channel_id uuid;
create index ix_usage_events_consumer_model on usage_events (consumer_id, model, at);
