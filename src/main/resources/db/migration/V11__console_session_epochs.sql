-- A console session names the epoch it was opened in; changing the password or disabling the user moves
-- the epoch on, which ends every session opened before (the session cookie itself cannot be revoked).
alter table console_user add column session_epoch bigint not null default 0;
