-- The rules every read of an installation shares, stated once (docs/design.md, "Persistence"). Every
-- read of an installation (the API's view and list, credentials, the proxy's target, authorize, the
-- callback, and the write paths' checks) selects from this view; the entities stay the write path.
--
--   client_id, client_secret      the account's own value, else the console's (the key as stored:
--                                 ciphertext); *_source says whose: ACCOUNT, CONSOLE, or null (neither)
--   platform_account              the platform account the effective key belongs to: the own key's
--                                 when the account has its own key, else the console's
--   missing                       the values neither side provides, as the API names them
--   has_connection                a connection Stripe can be asked about: its tokens were never wiped
--   connected                     usable: status CONNECTED and a connection
--   status                        as the API shows it: a PENDING installation that lacks a value is
--                                 NEEDS_CREDENTIALS; else the stored status (stored_status)
--   connection_platform_account   the platform the connection was made with: as recorded, else (made
--                                 before it was recorded) the effective key's
--
-- The console's settings are joined by the partner they belong to. Today there is one partner: its
-- settings are the table's only row (its check constraint), so the join takes it without naming it.
-- When installations and settings carry a partner id, the join becomes
--     left join connector_settings s on s.partner_id = a.partner_id
-- (`create or replace view`, the partner id appended as the last column) and nothing else changes.
--
-- Plain SQL, no function: PostgreSQL inlines the view into each statement that selects from it (the
-- lateral subqueries below have no FROM and are flattened), so every read keeps its index, and
-- columns a statement does not select are never computed (the webhook secret's subquery included).
create view installation_state as
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
       a.client_id is not null and exists (select 1 from platform_webhook w where w.client_id = a.client_id)
           as own_webhook_secret_set
  from account_connector a
  left join connector_settings s on true
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
