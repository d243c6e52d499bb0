-- What verify learned of the connected account, and when the tokens were last rolled.
alter table account_connector
    add column last_verified_at      timestamptz,
    add column account_business_name varchar(255),
    add column account_email         varchar(255),
    add column account_country       varchar(8),
    add column charges_enabled       boolean,
    add column payouts_enabled       boolean,
    add column tokens_refreshed_at   timestamptz;

-- Every read of an installation's credentials: which API key read them, when. Never the token.
create table credential_read (
    id           uuid         primary key,
    account_id   varchar(128) not null,
    api_key_name varchar(64)  not null,
    read_at      timestamptz  not null
);
create index credential_read_account_idx on credential_read (account_id, read_at);

-- Stripe webhook events already handled, so a redelivery is handled once.
create table webhook_event (
    event_id       varchar(255) primary key,
    type           varchar(128) not null,
    stripe_account varchar(255),
    received_at    timestamptz  not null
);
