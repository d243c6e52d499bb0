-- The Stripe platform each client ID (ca_…) belongs to, as a partner learnt it from a successful connection:
-- Stripe exchanges a code only with the key of the platform that owns the client ID, so the platform of the
-- key an exchange succeeded with is the client ID's. It outlives the connection (a disconnect or a removal
-- wipes connected_platform_account), so a later key of another platform is refused before anyone goes to
-- Stripe. A pod of the previous version neither reads nor writes it.
create table client_platform (
    partner_id       varchar(64)  not null references partner (id),
    client_id        varchar(255) not null,
    platform_account varchar(255) not null,
    recorded_at      timestamptz  not null,
    primary key (partner_id, client_id)
);

-- What today's connections already tell (the latest connection of each client ID, where its platform was recorded).
insert into client_platform (partner_id, client_id, platform_account, recorded_at)
select distinct on (partner_id, connected_client_id) partner_id, connected_client_id, connected_platform_account,
       coalesce(connected_at, updated_at)
  from account_connector
 where connected_client_id is not null and connected_platform_account is not null
 order by partner_id, connected_client_id, connected_at desc nulls last;
