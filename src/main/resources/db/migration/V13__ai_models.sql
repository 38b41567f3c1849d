-- AI models offered through the AI proxy (/v1) and the channels (provider endpoints) that serve them.
-- Prices are micros of the currency per million tokens. A channel's upstream API key is stored encrypted
-- (AES-256-GCM under TOLLGATE_ENCRYPTION_KEY, base64 of nonce + ciphertext + tag), never in plain text.
-- Portable between H2 2.x and PostgreSQL.

create table ai_models (
    id                         uuid primary key,
    -- the public model id clients send, e.g. gpt-4o-mini
    name                       varchar(100) not null,
    display_name               varchar(200) not null,
    enabled                    boolean not null,
    input_per_million          bigint not null,
    output_per_million         bigint not null,
    -- null: cached input is priced as input
    cached_input_per_million   bigint,
    -- null: no cap of ours on max_tokens
    max_output_tokens          integer,
    created_at                 timestamp with time zone not null,
    updated_at                 timestamp with time zone not null
);
create unique index ux_ai_models_name on ai_models (name);

create table ai_model_channels (
    id                 uuid primary key,
    model_id           uuid not null references ai_models (id),
    -- openai, anthropic, openai_compatible
    provider           varchar(32) not null,
    base_url           varchar(2000) not null,
    -- sealed upstream API key; null when the channel needs none
    api_key_sealed     varchar(8000),
    upstream_model     varchar(200) not null,
    priority           integer not null,
    weight             integer not null,
    -- the order the admin gave, so views list channels as they were sent
    position           integer not null
);
create index ix_ai_model_channels_model on ai_model_channels (model_id);

insert into change_versions (topic, version) values ('models', 0);
