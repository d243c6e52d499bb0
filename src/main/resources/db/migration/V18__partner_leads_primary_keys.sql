-- The partner id leads the primary keys of the tables keyed by a random id (issue 20, point 7), so
-- that every key of a partner's data can be distributed by partner. A contract step: each primary
-- key on the id alone gives way to (partner_id, id), and the references between them name the partner
-- too (so a row can refer only to a row of its own partner). A plain index on the id stays for the
-- lookups by id (no statement of either version names these keys in an `on conflict`, so both keep working).
-- Not here: console_user (an operator's row has no partner) and event_stream (the previous version's
-- upsert names its key); docs/operations.md lists them.
alter table authorization_request drop constraint authorization_request_account_connector_id_fkey;
alter table event_delivery drop constraint event_delivery_subscription_id_fkey;
alter table event_delivery drop constraint event_delivery_event_id_fkey;
alter table event_delivery_attempt drop constraint event_delivery_attempt_delivery_id_fkey;

alter table account_connector drop constraint account_connector_pkey;
alter table account_connector add primary key (partner_id, id);
create index account_connector_id_idx on account_connector (id);

alter table authorization_request drop constraint authorization_request_pkey;
alter table authorization_request add primary key (partner_id, id);
create index authorization_request_id_idx on authorization_request (id);
create index authorization_request_installation_idx on authorization_request (partner_id, account_connector_id);
alter table authorization_request add constraint authorization_request_installation_fkey
    foreign key (partner_id, account_connector_id) references account_connector (partner_id, id) on delete cascade;

alter table credential_read drop constraint credential_read_pkey;
alter table credential_read add primary key (partner_id, id);

alter table connector_event drop constraint connector_event_pkey;
alter table connector_event add primary key (partner_id, id);
create index connector_event_id_idx on connector_event (id);

alter table event_subscription drop constraint event_subscription_pkey;
alter table event_subscription add primary key (partner_id, id);
create index event_subscription_id_idx on event_subscription (id);

alter table event_delivery drop constraint event_delivery_pkey;
alter table event_delivery add primary key (partner_id, id);
create index event_delivery_id_idx on event_delivery (id);
alter table event_delivery add constraint event_delivery_subscription_fkey
    foreign key (partner_id, subscription_id) references event_subscription (partner_id, id) on delete cascade;
alter table event_delivery add constraint event_delivery_event_fkey
    foreign key (partner_id, event_id) references connector_event (partner_id, id) on delete cascade;

alter table event_delivery_attempt drop constraint event_delivery_attempt_pkey;
alter table event_delivery_attempt add primary key (partner_id, id);
create index event_delivery_attempt_partner_delivery_idx on event_delivery_attempt (partner_id, delivery_id);
alter table event_delivery_attempt add constraint event_delivery_attempt_delivery_fkey
    foreign key (partner_id, delivery_id) references event_delivery (partner_id, id) on delete cascade;

-- The console settings: one row per partner, keyed by it (the id stays for the entity's own updates).
alter table connector_settings drop constraint connector_settings_pkey;
alter table connector_settings add primary key using index connector_settings_partner_idx;
create index connector_settings_id_idx on connector_settings (id);

-- The other unique keys of the events lead with the partner too (no statement names them in an `on conflict`).
alter table connector_event drop constraint connector_event_stream_id_sequence_number_key;
alter table connector_event add constraint connector_event_stream_sequence_key unique (partner_id, stream_id, sequence_number);
alter table event_delivery drop constraint event_delivery_subscription_id_event_id_key;
alter table event_delivery add constraint event_delivery_subscription_event_key unique (partner_id, subscription_id, event_id);
