-- Endpoints of an API imported from its OpenAPI document (issue 12): shown on its listing and at
-- GET /api/v1/apis/{id}/endpoints, searched with the listings, and used to name the endpoint of each call in the usage
-- rollups (its path template, e.g. "GET /pets/{petId}"). An import replaces the API's endpoints; they go with the API.
create table api_endpoints (
    id           uuid primary key,
    api_id       uuid not null references apis (id) on delete cascade,
    position     integer not null,
    method       varchar(8) not null,
    -- the template relative to the API's base URL, e.g. /pets/{petId}
    path         varchar(1000) not null,
    operation_id varchar(200),
    summary      varchar(1000),
    description  varchar(10000),
    deprecated   boolean not null,
    -- JSON (OpenAPI objects with local references resolved): parameters, request body, responses
    parameters   varchar(1000000),
    request_body varchar(1000000),
    responses    varchar(1000000)
);
create index ix_api_endpoints_api on api_endpoints (api_id, position);
