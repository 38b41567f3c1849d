-- The marketplace (issue 12): listings of public APIs, reviews, saved APIs. Portable between H2 2.x and PostgreSQL.
-- Rows go with their API (on delete cascade); a listing of a paused or private API stays but is not shown.
-- AI models are listed from the admin's catalogue without a row here; their featuring, reviews and saves use the
-- model's id as api_id, so those tables do not reference apis (their rows of a deleted API are never shown).

-- A public API its owner put on the marketplace. title, description, category and tags are the listing's own words
-- when set, else (null) the API's, so that editing the API updates its listing.
create table marketplace_listings (
    api_id       uuid primary key references apis (id) on delete cascade,
    title        varchar(100),
    description  varchar(2000),
    category     varchar(64),
    -- comma-separated
    tags         varchar(600),
    -- longer text (markdown) shown on the listing page
    about        varchar(20000),
    logo_url     varchar(2000),
    published_at timestamp with time zone not null,
    updated_at   timestamp with time zone not null
);
create index ix_marketplace_listings_category on marketplace_listings (category);

-- Listings an admin featured: an API's listing or an AI model (by the model's id).
create table marketplace_featured (
    api_id      uuid primary key,
    featured_at timestamp with time zone not null
);

-- One review per consumer and API (posting again updates it); the provider may reply once; an admin may hide it.
create table marketplace_reviews (
    id          uuid primary key,
    api_id      uuid not null,
    consumer_id uuid not null references users (id),
    rating      smallint not null,
    comment     varchar(4000) not null,
    reply       varchar(4000),
    replied_at  timestamp with time zone,
    hidden      boolean not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);
create unique index ux_marketplace_reviews_consumer on marketplace_reviews (api_id, consumer_id);

-- APIs (or AI models) a user saved for later.
create table marketplace_saved (
    user_id    uuid not null references users (id),
    api_id     uuid not null,
    created_at timestamp with time zone not null,
    primary key (user_id, api_id)
);

insert into change_versions (topic, version) values ('marketplace', 0);
