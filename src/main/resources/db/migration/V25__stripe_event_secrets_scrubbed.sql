-- Stripe's events kept before this version hold their objects' secrets (a PaymentIntent's client_secret…)
-- in plain text in connector_event.payload. Each is replaced by "redacted", as the service now does before
-- it keeps an event (webhook/StripeObjectSecrets names the same fields; StripeSecretsScrubTest keeps the two
-- alike): in the text, so that every other byte of an event stays as it was delivered, and fast (no event is
-- read as JSON). The function stays: a pod of the previous version still keeps secrets during a rolling
-- update, and docs/operations.md has the statement that scrubs those once the rollout is done.
create function connector_redacted_stripe_event(payload text, stripe_type text) returns text
    language sql immutable as $$
select regexp_replace(
           regexp_replace(
               -- A customer portal session's url signs its customer in (its events' objects have no other "url").
               case when stripe_type like 'billing\_portal.session.%'
                    then regexp_replace(payload, '("url"\s*:\s*)"(?:[^"\\]|\\.)*"', '\1"redacted"', 'g')
                    else payload end,
               '("(?:client_secret|secret)"\s*:\s*)"(?:[^"\\]|\\.)*"', '\1"redacted"', 'g'),
           -- A client secret a URL carries as a query parameter (?client_secret=…, &payment_intent_client_secret=…).
           '([?&][A-Za-z_]*client_secret=)[^&#\s"\\]*', '\1redacted', 'g')
$$;

update connector_event
set payload = connector_redacted_stripe_event(payload, stripe_event_type)
where type = 'stripe.event'
  and (payload like '%secret%' or stripe_event_type like 'billing\_portal.session.%')
  and payload <> connector_redacted_stripe_event(payload, stripe_event_type);
