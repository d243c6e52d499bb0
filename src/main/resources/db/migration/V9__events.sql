-- Outbound events (issue #12): the transactional outbox, kept for catching up; subscriptions; deliveries.
-- An expand: new tables only, which older code ignores. Events and attempts age out in the retention purge
-- (maintenance/RetentionPurge), by created_at and attempted_at.

-- Every change of an installation, and of the console setup, written in the transaction of the change.
-- No foreign key to account_connector: an installation's removal keeps its events.
create table connector_event (
    id              uuid         primary key,
    -- Commit order: assigned while the writing transaction holds the outbox's advisory lock, so a reader
    -- never sees a later position before an earlier one. The events API pages by it.
    feed_position   bigint       not null unique,
    type            varchar(64)  not null,
    account_id      varchar(128),
    installation_id uuid,
    -- The installation's id, or the nil UUID for the console setup's events: the unit of ordering.
    stream_id       uuid         not null,
    sequence_number bigint       not null,
    -- The JSON document exactly as it is signed, delivered and listed.
    payload         text         not null,
    created_at      timestamptz  not null,
    unique (stream_id, sequence_number)
);
create sequence connector_event_position_seq;
create index connector_event_type_idx on connector_event (type, feed_position);
create index connector_event_account_idx on connector_event (account_id, feed_position);
create index connector_event_created_idx on connector_event (created_at);

-- The last sequence number of each stream (kept when events are purged, so numbers never repeat).
create table event_stream (
    stream_id     uuid   primary key,
    last_sequence bigint not null
);

-- Endpoints that receive signed events. The signing secrets are AES-256-GCM ciphertext (v1:keyId:…),
-- like every other secret; the previous one stays valid until previous_secret_expires_at.
create table event_subscription (
    id                         uuid          primary key,
    url                        varchar(2048) not null,
    event_types                varchar(1000) not null,
    description                varchar(200),
    signing_secret             text          not null,
    previous_signing_secret    text,
    previous_secret_expires_at timestamptz,
    created_at                 timestamptz   not null,
    updated_at                 timestamptz   not null,
    version                    bigint        not null default 0
);

-- One event for one subscription: written with the event, claimed by a delivery worker with a lease.
create table event_delivery (
    id              uuid         primary key,
    subscription_id uuid         not null references event_subscription (id) on delete cascade,
    event_id        uuid         not null references connector_event (id) on delete cascade,
    stream_id       uuid         not null,
    feed_position   bigint       not null,
    status          varchar(16)  not null,
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    give_up_at      timestamptz  not null,
    lease_until     timestamptz,
    lease_token     uuid,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      varchar(300),
    delivered_at    timestamptz,
    created_at      timestamptz  not null,
    unique (subscription_id, event_id)
);
create index event_delivery_due_idx on event_delivery (next_attempt_at) where status = 'PENDING';
create index event_delivery_order_idx on event_delivery (subscription_id, stream_id, feed_position) where status = 'PENDING';
create index event_delivery_event_idx on event_delivery (event_id);

-- Every attempt, for the subscription's view of recent deliveries.
create table event_delivery_attempt (
    id              uuid         primary key,
    delivery_id     uuid         not null references event_delivery (id) on delete cascade,
    subscription_id uuid         not null,
    event_id        uuid         not null,
    attempt         integer      not null,
    attempted_at    timestamptz  not null,
    duration_ms     integer      not null,
    http_status     integer,
    error           varchar(300),
    outcome         varchar(16)  not null,
    next_attempt_at timestamptz
);
create index event_delivery_attempt_subscription_idx on event_delivery_attempt (subscription_id, attempted_at desc);
create index event_delivery_attempt_delivery_idx on event_delivery_attempt (delivery_id);
create index event_delivery_attempt_attempted_idx on event_delivery_attempt (attempted_at);
