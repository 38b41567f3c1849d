-- The AI assistant's conversations (issue 15, seed 002). Portable between H2 2.x and PostgreSQL.

-- One conversation of one user with the assistant; title is the start of its first message.
create table assistant_conversations (
    id         uuid primary key,
    user_id    uuid not null references users (id),
    title      varchar(200) not null,
    created_at timestamp with time zone not null,
    updated_at timestamp with time zone not null
);
create index ix_assistant_conversations_user on assistant_conversations (user_id, updated_at);

-- Its messages in order (seq from 0): the user's, and the assistant's with the model, tokens and cost of its answer.
create table assistant_messages (
    id              uuid primary key,
    conversation_id uuid not null references assistant_conversations (id) on delete cascade,
    seq             integer not null,
    role            varchar(16) not null,
    content         varchar(64000) not null,
    model           varchar(200),
    input_tokens    bigint not null,
    output_tokens   bigint not null,
    cost_micros     bigint not null,
    created_at      timestamp with time zone not null
);
create unique index ux_assistant_messages_seq on assistant_messages (conversation_id, seq);
