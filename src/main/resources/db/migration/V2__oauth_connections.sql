-- The Stripe connection of an installation, filled by the OAuth callback.
alter table account_connector
    add column stripe_user_id   varchar(255),
    add column livemode         boolean,
    add column scope            varchar(32),
    add column publishable_key  varchar(255),
    add column access_token     text,          -- AES-256-GCM ciphertext
    add column refresh_token    text,          -- AES-256-GCM ciphertext
    add column connected_at     timestamptz,
    add column last_error       varchar(64),
    add column last_error_description varchar(1000),
    add column last_error_at    timestamptz;
create index account_connector_stripe_user_idx on account_connector (stripe_user_id);

-- One authorization attempt: a state for Stripe's redirect and a single-use setup link for a
-- person. Only SHA-256 hashes of the two tokens are stored; the state is derived from the
-- setup token, so the setup link can rebuild the authorize URL without the state being kept.
create table authorization_request (
    id                   uuid         primary key,
    account_connector_id uuid         not null references account_connector (id) on delete cascade,
    state_hash           varchar(64)  not null unique,
    setup_token_hash     varchar(64)  not null unique,
    authorize_base_url   text         not null,  -- the authorize URL without its state
    return_url           varchar(2048),
    expires_at           timestamptz  not null,
    setup_used_at        timestamptz,
    state_used_at        timestamptz,
    created_at           timestamptz  not null
);
create index authorization_request_expiry_idx on authorization_request (expires_at);
