-- Stripe's events about connected accounts, forwarded to a partner's subscribers (issue 21, part 3).
-- An expand: nullable columns only, which the previous version neither reads nor writes.

-- Which Stripe event types a subscription forwards (comma-separated patterns such as charge.*); null: none,
-- so the subscriptions of before receive no Stripe event until they ask for some.
alter table event_subscription add column stripe_event_types text;

-- The Stripe event type of a stripe.event (null for the connector's own events): a replay goes to the
-- subscriptions whose patterns match it, as the first delivery did.
alter table connector_event add column stripe_event_type varchar(128);

-- As of when the recorded facts of the connected account (business name, charges and payouts enabled, …)
-- are: a verify's time, or the creation time of the account.updated event they came from. An older
-- account.updated, which Stripe may deliver late, does not overwrite newer facts.
alter table account_connector add column account_facts_at timestamptz;
