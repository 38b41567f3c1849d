-- Low-balance alerts (issue #14), kept on the wallet's ledger account:
-- the threshold its owner chose (micros; null: a share of the last top-up, tollgate.billing.low-balance-percent)
-- and the last top-up or grant credited to it (the ledger transaction and its amount), which sets the default
-- threshold and re-arms the alert.
alter table ledger_accounts add column low_balance_threshold bigint;
alter table ledger_accounts add column last_top_up_id uuid;
alter table ledger_accounts add column last_top_up_amount bigint;
