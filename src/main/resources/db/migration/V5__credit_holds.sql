-- Credit a gateway node holds out of a wallet so that it can charge calls from memory. The wallet's
-- ledger_accounts.reserved is the sum of its holds; a hold shrinks as the node settles charges and is released
-- when idle, at shutdown, or by any node once it has expired (its node stopped renewing it).
create table credit_holds (
    id          uuid primary key,
    account_id  uuid not null references ledger_accounts (id),
    node_id     varchar(64) not null,
    amount      bigint not null,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null
);
create unique index ux_credit_holds_account_node on credit_holds (account_id, node_id);
create index ix_credit_holds_expires on credit_holds (expires_at);
