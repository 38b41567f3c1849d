-- In-app notifications and feedback (issue 14). Portable between H2 2.x and PostgreSQL.

-- One notification of one user. cause names what produced it ("subscription:<id>", "review:<id>", "send:<uuid>"):
-- the unique index makes every cause notify each user at most once, whoever produces it and however often.
create table notifications (
    id                uuid primary key,
    user_id           uuid not null references users (id),
    notification_type varchar(40) not null,
    title             varchar(200) not null,
    message           varchar(4000) not null,
    action_url        varchar(2000),
    -- a JSON object
    metadata          varchar(10000) not null,
    cause             varchar(200) not null,
    created_at        timestamp with time zone not null,
    read_at           timestamp with time zone
);
create unique index ux_notifications_cause on notifications (user_id, cause);
create index ix_notifications_user on notifications (user_id, created_at);

-- Users' feedback to the admins (seed 002): bug, feature, question or other; pending → reviewed → resolved.
create table feedback (
    id             uuid primary key,
    user_id        uuid not null references users (id),
    feedback_type  varchar(16) not null,
    message        varchar(4000) not null,
    status         varchar(16) not null,
    admin_response varchar(4000),
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null
);
create index ix_feedback_user on feedback (user_id, created_at);
create index ix_feedback_status on feedback (status, created_at);
