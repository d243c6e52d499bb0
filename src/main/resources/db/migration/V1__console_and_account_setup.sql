-- Console setup: a single row for the whole platform, created here so that replicas never race to insert it.
create table connector_settings (
    id            smallint     primary key check (id = 1),
    client_id     varchar(255),
    client_secret text,         -- AES-256-GCM ciphertext (v1:keyId:base64), never the key itself
    default_scope varchar(16),
    account_type  varchar(16),
    updated_at    timestamptz,
    version       bigint       not null default 0
);
insert into connector_settings (id) values (1);

-- One installation of the connector per partner account.
create table account_connector (
    id            uuid         primary key,
    account_id    varchar(128) not null unique,
    name          varchar(200),
    client_id     varchar(255),
    client_secret text,         -- AES-256-GCM ciphertext, null when the console's key is used
    status        varchar(16)  not null check (status in ('PENDING', 'CONNECTED', 'REVOKED', 'ERROR')),
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null,
    version       bigint       not null default 0
);
create index account_connector_status_account_idx on account_connector (status, account_id);
