-- Stripe customers of Tollgate users (for saved payment methods) and PaymentIntents Tollgate created.
create table stripe_customers (
    user_id      uuid primary key references users (id),
    customer_id  varchar(255) not null,
    created_at   timestamp with time zone not null
);
create unique index ux_stripe_customers_customer on stripe_customers (customer_id);

create table stripe_payments (
    payment_intent_id  varchar(255) primary key,
    user_id            uuid not null references users (id),
    amount             bigint not null,
    currency           varchar(3) not null,
    status             varchar(32) not null,
    created_at         timestamp with time zone not null,
    succeeded_at       timestamp with time zone
);
create index ix_stripe_payments_user on stripe_payments (user_id, created_at);
