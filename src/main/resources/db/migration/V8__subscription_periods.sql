-- Subscription plans are charged per monthly period; a failed renewal marks the subscription past due.
alter table subscriptions add column current_period_start timestamp with time zone;
alter table subscriptions add column current_period_end timestamp with time zone;
alter table subscriptions add column period_number integer default 0 not null;
alter table subscriptions add column past_due_since timestamp with time zone;
create index ix_subscriptions_period_end on subscriptions (current_period_end);
