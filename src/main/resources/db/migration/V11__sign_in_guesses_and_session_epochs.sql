-- Sign-in guesses are reserved before the password is checked (security/SignInAttempts): the row counts
-- the guesses taken since its window began, the ones being checked included, until resets_at (the
-- window's end, or the lock's once the window's last guess failed).
alter table sign_in_attempt rename column failures to guesses;
alter table sign_in_attempt add column resets_at timestamptz;
update sign_in_attempt set resets_at = greatest(window_started_at + interval '15 minutes', locked_until);
alter table sign_in_attempt alter column resets_at set not null;
alter table sign_in_attempt drop column window_started_at;
alter table sign_in_attempt drop column locked_until;

-- A console session names the epoch it was opened in; changing the password or disabling the user moves
-- the epoch on, which ends every session opened before (the session cookie itself cannot be revoked).
alter table console_user add column session_epoch bigint not null default 0;
