-- Hosted APIs (issue 15): APIs whose upstream is JavaScript run by Tollgate in its sandbox. An API is 'proxy' (calls go
-- to its base_url) or 'hosted' (calls run its active version's code; base_url is empty).
alter table apis add column kind varchar(16) default 'proxy' not null;

-- Every deploy, generation or template start is a numbered version of the API's code with the example requests it
-- was tested with and their results. Versions are kept; one is active (hosted_apis.active_version).
create table hosted_versions (
    id           uuid primary key,
    api_id       uuid not null references apis (id) on delete cascade,
    number       integer not null,
    code         varchar(1000000) not null,
    -- JSON array of test cases: {name, request, expected}
    tests        varchar(1000000) not null,
    -- JSON array of results: {name, request, expected, passed, actual_status, actual_body, error}
    test_results varchar(1000000) not null,
    -- ready (every test passed), failed (a test failed or the code does not load), untested (no tests)
    status       varchar(16) not null,
    -- code (written or pasted), template, generated
    source       varchar(16) not null,
    template_id  varchar(64),
    explanation  varchar(10000),
    author_id    uuid not null,
    created_at   timestamp with time zone not null,
    unique (api_id, number)
);

-- The version the gateway serves, per hosted API; null before the first deploy.
create table hosted_apis (
    api_id         uuid primary key references apis (id) on delete cascade,
    active_version integer,
    activated_at   timestamp with time zone,
    activated_by   uuid,
    updated_at     timestamp with time zone not null
);

-- Per-API secrets, sealed with the platform's secret key (AES-GCM) and given to the code as env.NAME.
create table hosted_secrets (
    id         uuid primary key,
    api_id     uuid not null references apis (id) on delete cascade,
    name       varchar(64) not null,
    sealed     varchar(20000) not null,
    created_at timestamp with time zone not null,
    updated_at timestamp with time zone not null,
    unique (api_id, name)
);

-- The per-API key/value store of the code's kv object; bytes counts key and value against the API's quota.
create table hosted_kv (
    id         uuid primary key,
    api_id     uuid not null references apis (id) on delete cascade,
    k          varchar(256) not null,
    v          varchar(100000) not null,
    bytes      integer not null,
    updated_at timestamp with time zone not null,
    unique (api_id, k)
);

-- Generation jobs: a prompt turned into code by the generator model, tested and repaired; the result is a version.
create table generation_jobs (
    id            uuid primary key,
    user_id       uuid not null,
    api_id        uuid references apis (id) on delete set null,
    prompt        varchar(10000) not null,
    name          varchar(200),
    -- queued, running, ready, failed
    status        varchar(16) not null,
    version       integer,
    attempts      integer not null,
    cost_micros   bigint not null,
    -- JSON array of progress events {at, stage, message}
    progress      varchar(1000000) not null,
    error         varchar(4000),
    created_at    timestamp with time zone not null,
    finished_at   timestamp with time zone
);
create index ix_generation_jobs_user on generation_jobs (user_id, created_at);

-- Active versions and secrets, loaded into each node's hosted runtime.
insert into change_versions (topic, version) values ('hosted', 0);
