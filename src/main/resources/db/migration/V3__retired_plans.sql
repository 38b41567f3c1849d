-- A plan that ended subscriptions still name is retired instead of deleted, so their history keeps its plan.
alter table plans add column retired_at timestamp with time zone;
