-- AI settings of consumer API keys, enforced by the AI proxy (/v1). Portable between H2 2.x and PostgreSQL.
-- model_ids: comma-separated public model names the key may call ('' = every model; names are
--   [A-Za-z0-9._:/-], so never hold a comma).
-- model_limits: JSON object, model name or "*" (default) -> {"requests_per_minute":n,"tokens_per_minute":n},
--   each member optional ('{}' = no limits).
-- monthly_spend_cap: micros of the currency the key may spend on AI calls per calendar month (UTC);
--   null = no cap, 0 = nothing may be spent.
alter table api_keys add column model_ids varchar(12000) default '' not null;
alter table api_keys add column model_limits varchar(20000) default '{}' not null;
alter table api_keys add column monthly_spend_cap bigint;
