-- The contract step of V16 (issue 20, stage 5): the global unique constraints the previous version's
-- statements named go, so two partners can hold the same account id, user name, Stripe event or client
-- ID; what stays unique is unique per partner (V16's indexes, which lead with the partner id). Pods of a
-- version before partners fail their installs, sign-ins and Stripe events against this schema: roll
-- out V16's release first (docs/operations.md).
alter table account_connector drop constraint account_connector_account_id_key;
drop index account_connector_status_account_idx;
drop index account_connector_account_prefix_idx;
drop index account_connector_connection_idx;

alter table authorization_request drop constraint authorization_request_state_hash_key;
alter table authorization_request drop constraint authorization_request_setup_token_hash_key;

drop index credential_read_account_idx;

alter table webhook_event drop constraint webhook_event_pkey;
alter table webhook_event add primary key using index webhook_event_partner_platform_event_idx;

alter table platform_webhook drop constraint platform_webhook_pkey;
alter table platform_webhook add primary key using index platform_webhook_partner_client_idx;

alter table console_user drop constraint console_user_username_key;

alter table sign_in_attempt drop constraint sign_in_attempt_pkey;
alter table sign_in_attempt add primary key using index sign_in_attempt_partner_subject_idx;

alter table connector_event drop constraint connector_event_feed_position_key;
drop index connector_event_type_idx;
drop index connector_event_account_idx;
