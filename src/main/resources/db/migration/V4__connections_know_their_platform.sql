-- Each connection records the platform it was made with, so a later console change cannot
-- misdirect refresh, disconnect or webhooks; existing connections take today's effective client ID.
alter table account_connector
    add column connected_client_id        varchar(255),
    add column connected_platform_account varchar(255),
    add column platform_account_id        varchar(255),
    add column refresh_lease_until        timestamptz,
    add column refresh_lease_owner        uuid,
    add column refresh_failed_at          timestamptz,
    add column refresh_failure            varchar(64);

update account_connector a
   set connected_client_id = coalesce(a.client_id, s.client_id)
  from connector_settings s
 where a.stripe_user_id is not null;

create index account_connector_connection_idx on account_connector (stripe_user_id, connected_client_id);

-- The platform account (acct_…) the console's secret key belongs to, as Stripe said when it was saved.
alter table connector_settings add column platform_account_id varchar(255);

-- The webhook endpoint of a platform an account brings itself: its signing secrets, encrypted.
create table platform_webhook (
    client_id               varchar(255) primary key,
    signing_secret          text         not null,  -- AES-256-GCM ciphertext
    previous_signing_secret text,                   -- still valid while the secret is rolled
    updated_at              timestamptz  not null
);
