-- Partners: the root of everything a partner of the platform owns. An expand: two new tables, which
-- the previous version ignores. `default` is every deployment's first partner: the data and the
-- configured keys (CONNECTOR_API_KEYS) of an upgraded single-partner deployment are its; its domain is
-- the configured CONNECTOR_SERVICE_DOMAIN, so its own column stays null.
create table partner (
    id             varchar(64)  primary key,   -- a slug chosen by the operator, never changed
    name           varchar(200) not null,
    status         varchar(16)  not null,
    service_domain varchar(253) unique,         -- host[:port], lower case; null only for default
    created_at     timestamptz  not null,
    updated_at     timestamptz  not null,
    version        bigint       not null default 0,
    constraint partner_id_is_a_slug check (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    constraint partner_status_known check (status in ('ACTIVE', 'DISABLED')),
    constraint partner_domain_lower_case check (service_domain = lower(service_domain)),
    constraint partner_domain_null_only_for_default check ((id = 'default') = (service_domain is null))
);

insert into partner (id, name, status, service_domain, created_at, updated_at)
values ('default', 'Default partner', 'ACTIVE', null, now(), now());

-- A partner's API keys, issued by operators. Only the SHA-256 hash of a key is stored (keys are 256-bit
-- random values: a slow hash buys nothing and would cost every request) with a short non-secret prefix to
-- recognise it by. The presented key names its partner, so checking it is one primary-key read whose
-- first column is the partner id, as every key and index of a partner's data starts with it. No cascade:
-- a partner is deleted by one statement per table it owns (partner/PartnerData), and this reference
-- refuses a deletion that forgot one.
create table api_key (
    partner_id   varchar(64)  not null references partner (id),
    key_hash     varchar(64)  not null,          -- hex SHA-256 of the whole key
    id           uuid         not null,          -- what the operator API names the key by
    name         varchar(64)  not null,
    prefix       varchar(80)  not null,          -- sck_{partner}_ and the secret's first characters
    roles        varchar(100) not null,          -- comma-separated: api, credentials-reader, admin
    created_at   timestamptz  not null,
    last_used_at timestamptz,                    -- written at most once a minute per key
    expires_at   timestamptz,
    revoked_at   timestamptz,
    replaced_by  uuid,                           -- the key a rotation issued in its place
    primary key (partner_id, key_hash),
    constraint api_key_id_unique unique (partner_id, id)
);
