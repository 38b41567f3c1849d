-- Accounts: users, login sessions with rotating refresh tokens, and failed logins for throttling.
-- Portable between H2 2.x and PostgreSQL: keep to standard types.

create table users (
    id            uuid primary key,
    email         varchar(254) not null,
    username      varchar(32)  not null,
    username_key  varchar(32)  not null,
    password_hash varchar(100) not null,
    roles         varchar(100) not null,
    plan          varchar(16)  not null,
    suspended     boolean      not null,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null
);
create unique index ux_users_email on users (email);
create unique index ux_users_username_key on users (username_key);

create table login_sessions (
    id            uuid primary key,
    user_id       uuid not null references users (id),
    created_at    timestamp with time zone not null,
    revoked_at    timestamp with time zone,
    revoke_reason varchar(32)
);
create index ix_login_sessions_user on login_sessions (user_id);

create table refresh_tokens (
    id         uuid primary key,
    session_id uuid not null references login_sessions (id),
    token_hash varchar(64) not null,
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    used_at    timestamp with time zone
);
create unique index ux_refresh_tokens_hash on refresh_tokens (token_hash);
create index ix_refresh_tokens_session on refresh_tokens (session_id);

create table login_failures (
    id             uuid primary key,
    account_key    varchar(254) not null,
    client_address varchar(64)  not null,
    failed_at      timestamp with time zone not null
);
create index ix_login_failures_account on login_failures (account_key, failed_at);
create index ix_login_failures_client on login_failures (client_address, failed_at);
