-- The audit trail (issue 23): who changed what, when and from where. Written in the transaction of the
-- change it records, so neither exists without the other. partner_id is null for the operators' own
-- records (a partner's removal, re-encryption), which no partner reads. Kept by connector.retention.audit.
create table audit_record (
    id uuid primary key,
    partner_id text,
    occurred_at timestamptz not null,
    actor_kind text not null check (actor_kind in ('user', 'key', 'system')),
    actor_name text not null,
    action text not null,
    account_id text,
    subject text,
    -- The names of the fields changed, comma-separated (never their values).
    fields text not null default '',
    client_address text
);

-- The pages: one partner's records newest first, optionally one installation's or one actor's.
create index audit_record_partner_time_idx on audit_record (partner_id, occurred_at desc, id desc);
create index audit_record_partner_account_idx on audit_record (partner_id, account_id, occurred_at desc, id desc)
    where account_id is not null;
create index audit_record_partner_actor_idx on audit_record (partner_id, actor_name, occurred_at desc, id desc);
-- The retention purge.
create index audit_record_occurred_at_idx on audit_record (occurred_at);
