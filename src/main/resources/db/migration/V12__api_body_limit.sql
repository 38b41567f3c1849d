-- An API's own request body limit on the gateway, in bytes; null means the platform's default
-- (tollgate.gateway.max-request-body-size).
alter table apis add column max_request_body_bytes bigint;
