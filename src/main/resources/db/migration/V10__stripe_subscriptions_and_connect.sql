-- Platform subscriptions (account tiers bought through Stripe Checkout in subscription mode). The row mirrors
-- Stripe's subscription as last reported; event_at (Stripe's event time, epoch seconds) makes late, out-of-order
-- deliveries lose against newer state.
alter table stripe_checkouts add column tier varchar(32);

create table stripe_subscriptions (
    subscription_id       varchar(255) primary key,
    user_id               uuid not null references users (id),
    customer_id           varchar(255),
    tier                  varchar(32) not null,
    status                varchar(32) not null,
    price                 bigint not null,
    currency              varchar(3) not null,
    current_period_start  timestamp with time zone,
    current_period_end    timestamp with time zone,
    cancel_at_period_end  boolean not null,
    canceled_at           timestamp with time zone,
    event_at              bigint not null,
    created_at            timestamp with time zone not null,
    updated_at            timestamp with time zone not null
);
create index ix_stripe_subscriptions_user on stripe_subscriptions (user_id, created_at);

-- Providers' Stripe Connect accounts: approved payouts are transferred to them.
create table stripe_connect_accounts (
    user_id      uuid primary key references users (id),
    account_id   varchar(255) not null,
    created_at   timestamp with time zone not null
);
create unique index ux_stripe_connect_accounts_account on stripe_connect_accounts (account_id);
