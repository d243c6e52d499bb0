-- The retention purge (maintenance/RetentionPurge) deletes by age: each log-like table gets an index
-- on the column it is aged by (authorization_request's expiry and sign_in_attempt are small or indexed).
create index credential_read_read_at_idx on credential_read (read_at);
create index webhook_event_received_at_idx on webhook_event (received_at);
