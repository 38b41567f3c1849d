-- Pay-per-call charges are written to the ledger aggregated: one transaction per consumer, provider and API per
-- settle batch, covering `calls` calls. Each call's id is kept here, so a call is charged at most once.
alter table ledger_transactions add column calls integer;

create table call_charges (
    call_key        varchar(200) primary key,
    transaction_id  uuid not null
);
