-- The audit trail tells the service operator's console users and API keys (who act across partners) from a partner's
-- (issue 23), and says what a redelivery or a purge did. actor_kind keeps its values (user, key, system), so a pod
-- of the previous version still reads every row during a rolling update; the operator's part is a column of its own.
alter table audit_record add column actor_operator boolean not null default false;
-- What an action that changes rows rather than fields did, in ids and counts (never a secret); null for the others.
alter table audit_record add column detail text;

-- The rows written before: an operator's console user was already named "operator {username}" (a user name has no
-- space), and only operators' keys create, change or remove partners and issue, rotate or revoke their keys. A
-- re-encryption started by a key stays "key": a partner default's admin key may start one too, and the row cannot tell.
update audit_record set actor_operator = true where actor_kind = 'user' and actor_name like 'operator %';
update audit_record set actor_operator = true where actor_kind = 'key'
    and action in ('partner.create', 'partner.update', 'partner.remove', 'api-key.issue', 'api-key.rotate', 'api-key.revoke');
