-- The API a charge was for, so that providers see earnings by API.
alter table ledger_transactions add column api_id uuid;

-- Providers' requests to be paid their earnings. The amount moves from provider_earnings to
-- provider_payouts_pending when requested, and leaves through stripe_clearing when approved (or goes back when
-- rejected).
create table payouts (
    id            uuid primary key,
    provider_id   uuid not null references users (id),
    amount        bigint not null,
    currency      varchar(3) not null,
    status        varchar(16) not null,
    reference     varchar(200),
    note          varchar(500),
    created_at    timestamp with time zone not null,
    decided_at    timestamp with time zone,
    decided_by    uuid
);
create index ix_payouts_provider on payouts (provider_id, created_at);
create index ix_payouts_status on payouts (status, created_at);
