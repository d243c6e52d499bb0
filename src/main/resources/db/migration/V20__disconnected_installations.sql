-- An installation can be disconnected and kept (POST …/connector/disconnect): its tokens and connection
-- are wiped, the account's own values stay, and a new link can be made at once. The view
-- installation_state shows a stored status as it is (only PENDING becomes NEEDS_CREDENTIALS), so only
-- the check of the stored values changes.
alter table account_connector drop constraint account_connector_status_check;
alter table account_connector add constraint account_connector_status_check
    check (status in ('PENDING', 'CONNECTED', 'REVOKED', 'DISCONNECTED', 'ERROR'));
