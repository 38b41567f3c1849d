-- What kind of model an AI model is (seed 004's GET /api/v1/ai/models?model_type=), and fine-tuning jobs started
-- through POST /api/v1/ai/train. Portable between H2 2.x and PostgreSQL.

-- chat (answers /v1/chat/completions and /v1/messages) or embedding (answers /v1/embeddings)
alter table ai_models add column model_type varchar(20) default 'chat' not null;

-- A fine-tuning job a user started at a channel's provider (OpenAI's /fine_tuning/jobs). The model and channel are
-- not foreign keys: a job outlives a model's deletion or a change of its channels, as it does at the provider.
create table ai_training_jobs (
    id                 uuid primary key,
    user_id            uuid not null references users (id),
    -- the model's id and its public name when the job was created
    model_id           uuid not null,
    model_name         varchar(100) not null,
    channel_id         uuid not null,
    -- the provider's job id, e.g. ftjob-abc123
    upstream_job_id    varchar(200) not null,
    -- the provider's status: validating_files, queued, running, succeeded, failed, cancelled
    status             varchar(32) not null,
    fine_tuned_model   varchar(300),
    error              varchar(1000),
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null
);
create index ix_ai_training_jobs_user on ai_training_jobs (user_id, created_at);
