-- The install journey: a setup link lives for days (its own lifetime), and the authorize URL is built
-- when the link is used, from the options kept here, with the values the account may only then supply.
alter table authorization_request
    add column setup_expires_at timestamptz,
    add column options          text;        -- the authorize options (JSON), never a secret
update authorization_request set setup_expires_at = expires_at where setup_expires_at is null;
alter table authorization_request alter column setup_expires_at set not null;
-- Null until the installation has a client ID: the link asks the account first.
alter table authorization_request alter column authorize_base_url drop not null;

-- The console searches installations by account id prefix (LIKE 'prefix%'), under any collation.
create index account_connector_account_prefix_idx on account_connector (account_id text_pattern_ops);
