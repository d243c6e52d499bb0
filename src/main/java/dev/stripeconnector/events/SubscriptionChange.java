package dev.stripeconnector.events;

import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/event-subscriptions} (url and eventTypes required; stripeEventTypes optional) and of
 * {@code PUT /api/v1/event-subscriptions/{id}} (an omitted field keeps its value; null clears the description).
 */
@Schema(name = "EventSubscriptionChange")
public class SubscriptionChange {

    @Schema(description = "The receiver: https on port 443 (CONNECTOR_EVENTS_RECEIVER_PORTS) at a public address; http, other ports and"
            + " private addresses only for hosts of CONNECTOR_EVENTS_ALLOWED_HOSTS. No credentials in it.",
            example = "https://billing.example.com/hooks/stripe-connector", maxLength = ReceiverPolicy.MAX_URL)
    public Optional<String> url;

    @Schema(description = "The event types to receive, or [\"*\"] for all (present and future)",
            example = "[\"installation.connected\", \"installation.revoked\", \"installation.error\"]")
    public Optional<List<String>> eventTypes;

    @Schema(nullable = true, description = "Stripe's events of the installations' connected accounts to forward as stripe.event:"
            + " Stripe event types, each segment a name or *, a trailing * matching the rest (charge.* is charge.succeeded and"
            + " charge.dispute.created), or [\"*\"] for every type. Absent when created, null or []: none. A subscription with"
            + " patterns receives stripe.event (eventTypes lists it, or is [\"*\"]); one that lists stripe.event needs patterns.",
            example = "[\"charge.*\", \"account.updated\"]")
    public Optional<List<String>> stripeEventTypes;

    @Schema(nullable = true, description = "A note for people", maxLength = EventSubscription.MAX_DESCRIPTION)
    public Optional<String> description;
}
