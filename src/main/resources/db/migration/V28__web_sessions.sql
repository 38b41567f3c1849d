-- Portal sign-ins (issue 16). A browser holds a random token in an HttpOnly cookie; only its SHA-256 is stored.
-- Each one belongs to a login session, so logging out, refresh-token theft and suspension end it too.
create table web_sessions (
    token_hash       varchar(64) primary key,
    login_session_id uuid not null references login_sessions (id),
    user_id          uuid not null references users (id),
    csrf_token       varchar(64) not null,
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null
);
create index ix_web_sessions_user on web_sessions (user_id);
