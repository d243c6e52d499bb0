-- A rolled webhook signing secret stayed valid until the next change, so one rolled because it leaked could
-- still sign deauthorizations and forwarded events. Each endpoint now stores when its previous secret stops
-- being valid (CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY after the roll); a previous secret without
-- that time, or past it, verifies nothing. The previous secrets kept before this version get the default 24 hours
-- from the migration: none of them stays valid for good, and none is cut off without warning.
alter table connector_settings add column previous_webhook_secret_expires_at timestamptz;
alter table platform_webhook add column previous_secret_expires_at timestamptz;

update connector_settings set previous_webhook_secret_expires_at = now() + interval '24 hours'
where previous_webhook_signing_secret is not null;
update platform_webhook set previous_secret_expires_at = now() + interval '24 hours'
where previous_signing_secret is not null;
