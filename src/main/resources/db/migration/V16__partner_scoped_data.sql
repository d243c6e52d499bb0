-- Every row of a partner's data names its partner (issue 20, stage 2). An expand: each table gets
-- partner_id with the default 'default', so the rows that exist, and the rows pods of the previous
-- version write during the rollout, are partner default's, which is what they are. New indexes lead
-- with the partner id; the old global unique constraints stay until the contract step (V17), because
-- the previous version's statements name them (`on conflict (account_id)`, …).

-- The console's settings: one row per partner. The single-row check only relaxes (the previous version
-- reads and writes row 1, which stays partner default's); new partners' rows take their id from a sequence.
create sequence connector_settings_id_seq as smallint start with 2 owned by connector_settings.id;
alter table connector_settings
    alter column id set default nextval('connector_settings_id_seq'),
    add column partner_id varchar(64) not null default 'default' references partner (id),
    add column webhook_signing_secret text,           -- AES-256-GCM ciphertext; default's come from configuration
    add column previous_webhook_signing_secret text;  -- still valid while the secret is rolled
alter table connector_settings drop constraint connector_settings_id_check;
create unique index connector_settings_partner_idx on connector_settings (partner_id);

alter table account_connector add column partner_id varchar(64) not null default 'default' references partner (id);
create unique index account_connector_partner_account_idx on account_connector (partner_id, account_id);
create index account_connector_partner_status_idx on account_connector (partner_id, status, account_id);
create index account_connector_partner_prefix_idx on account_connector (partner_id, account_id text_pattern_ops);
create index account_connector_partner_connection_idx on account_connector (partner_id, stripe_user_id, connected_client_id);

alter table authorization_request add column partner_id varchar(64) not null default 'default' references partner (id);
create unique index authorization_request_partner_state_idx on authorization_request (partner_id, state_hash);
create unique index authorization_request_partner_setup_idx on authorization_request (partner_id, setup_token_hash);

alter table credential_read add column partner_id varchar(64) not null default 'default' references partner (id);
create index credential_read_partner_account_idx on credential_read (partner_id, account_id, read_at);

-- Stripe's events are deduplicated per partner and platform (the client ID whose endpoint received it):
-- two partners connected to one Stripe account each get their copy.
alter table webhook_event
    add column partner_id varchar(64) not null default 'default' references partner (id),
    add column platform varchar(255) not null default '';
create unique index webhook_event_partner_platform_event_idx on webhook_event (partner_id, platform, event_id);

alter table platform_webhook add column partner_id varchar(64) not null default 'default' references partner (id);
create unique index platform_webhook_partner_client_idx on platform_webhook (partner_id, client_id);

-- Console users: a partner's (user names unique within it) or, with no partner, an operator's.
alter table console_user add column partner_id varchar(64) default 'default' references partner (id);
create unique index console_user_partner_username_idx on console_user (partner_id, username) where partner_id is not null;
create unique index console_user_operator_username_idx on console_user (username) where partner_id is null;

-- Sign-in guesses are counted per partner (the domain signed into) and submitted name.
alter table sign_in_attempt add column partner_id varchar(64) not null default 'default' references partner (id);
create unique index sign_in_attempt_partner_subject_idx on sign_in_attempt (partner_id, subject);

-- Events: each partner's feed has its own positions (a shared one would let a partner read another's
-- activity from the gaps); partner_feed holds the last position given in each.
alter table connector_event add column partner_id varchar(64) not null default 'default' references partner (id);
create unique index connector_event_partner_position_idx on connector_event (partner_id, feed_position);
create index connector_event_partner_type_idx on connector_event (partner_id, type, feed_position);
create index connector_event_partner_account_idx on connector_event (partner_id, account_id, feed_position);
create table partner_feed (
    partner_id    varchar(64) primary key references partner (id),
    last_position bigint      not null
);
-- Partner default's feed goes on from the shared sequence's last position, so its readers' cursors hold.
insert into partner_feed (partner_id, last_position)
select 'default', coalesce(max(feed_position), 0) from connector_event;

alter table event_stream add column partner_id varchar(64) not null default 'default' references partner (id);
alter table event_subscription add column partner_id varchar(64) not null default 'default' references partner (id);
create index event_subscription_partner_idx on event_subscription (partner_id, created_at);
alter table event_delivery add column partner_id varchar(64) not null default 'default' references partner (id);
create index event_delivery_partner_subscription_idx on event_delivery (partner_id, subscription_id, created_at);
alter table event_delivery_attempt add column partner_id varchar(64) not null default 'default' references partner (id);
create index event_delivery_attempt_partner_subscription_idx
    on event_delivery_attempt (partner_id, subscription_id, attempted_at desc);

-- The view joins each installation with its own partner's settings (the one change stage 1 announced),
-- and tells the partner's id and status.
create or replace view installation_state as
select a.id, a.account_id, a.name, coalesce(a.name, a.account_id) as display_name,
       e.client_id, e.client_id_source, e.client_secret, e.client_secret_source, e.platform_account,
       array_remove(array[case when e.client_id is null then 'clientId' end,
                          case when e.client_secret is null then 'clientSecret' end], null) as missing,
       a.status as stored_status,
       case when a.status = 'PENDING' and (e.client_id is null or e.client_secret is null) then 'NEEDS_CREDENTIALS'
            else a.status end as status,
       c.has_connection,
       a.status = 'CONNECTED' and c.has_connection as connected,
       a.stripe_user_id, a.livemode, a.scope, a.publishable_key, a.access_token,
       a.connected_client_id, a.connected_platform_account,
       coalesce(a.connected_platform_account, e.platform_account) as connection_platform_account,
       a.connected_at, a.tokens_refreshed_at, a.last_verified_at, a.account_business_name, a.account_email,
       a.account_country, a.charges_enabled, a.payouts_enabled, a.last_error, a.last_error_description, a.last_error_at,
       a.created_at, a.updated_at,
       a.client_id is not null and exists (select 1 from platform_webhook w
                                            where w.partner_id = a.partner_id and w.client_id = a.client_id)
           as own_webhook_secret_set,
       a.partner_id,
       p.status as partner_status
  from account_connector a
  join partner p on p.id = a.partner_id
  left join connector_settings s on s.partner_id = a.partner_id
  cross join lateral (
      select coalesce(a.client_id, s.client_id) as client_id,
             case when a.client_id is not null then 'ACCOUNT' when s.client_id is not null then 'CONSOLE' end
                 as client_id_source,
             coalesce(a.client_secret, s.client_secret) as client_secret,
             case when a.client_secret is not null then 'ACCOUNT' when s.client_secret is not null then 'CONSOLE' end
                 as client_secret_source,
             case when a.client_secret is not null then a.platform_account_id else s.platform_account_id end
                 as platform_account) e
  cross join lateral (select a.stripe_user_id is not null and a.access_token is not null as has_connection) c;
