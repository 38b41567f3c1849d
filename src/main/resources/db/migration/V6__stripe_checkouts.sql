-- Checkout Sessions Tollgate created; a completed one credits its user's wallet once.
create table stripe_checkouts (
    session_id      varchar(255) primary key,
    user_id         uuid not null references users (id),
    mode            varchar(16) not null,
    amount          bigint not null,
    currency        varchar(3) not null,
    status          varchar(16) not null,
    created_at      timestamp with time zone not null,
    completed_at    timestamp with time zone
);
create index ix_stripe_checkouts_user on stripe_checkouts (user_id, created_at);
