package dev.stripeconnector.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An event subscription; its signing secret appears only in the answer that created or rotated it. */
@Schema(name = "EventSubscription")
public record SubscriptionView(
        @Schema(required = true) UUID id,
        @Schema(required = true) String url,
        @Schema(required = true) List<String> eventTypes,
        @Schema(required = true, description = "The Stripe event types forwarded as stripe.event (patterns); [] for none")
        List<String> stripeEventTypes,
        @Schema(nullable = true) String description,
        @Schema(required = true, description = "The last four characters of the current signing secret") String secretLast4,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "Until when deliveries are also signed with the previous secret (after a rotation)") Instant previousSecretExpiresAt,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt,
        @Schema(required = true) Deliveries deliveries,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The signing secret, shown once: in the answer that created the subscription or rotated its secret."
                + " Keep it in the receiver; it verifies Stripe-Connector-Signature") String signingSecret) {

    /** How the subscription's deliveries stand. */
    @Schema(name = "EventSubscriptionDeliveries")
    public record Deliveries(@Schema(required = true) long pending, @Schema(required = true) long delivered,
                             @Schema(required = true, description = "Given up after the retry period; kept for replay") long failed) {
    }

    static SubscriptionView of(EventSubscription subscription, Deliveries deliveries, String shownSecret) {
        return new SubscriptionView(subscription.id, subscription.url, subscription.types(),
                StripeEventTypes.list(subscription.stripeEventTypes), subscription.description,
                subscription.signingSecret.last4(), subscription.previousSigningSecret == null ? null : subscription.previousSecretExpiresAt,
                subscription.createdAt, subscription.updatedAt, deliveries, shownSecret);
    }
}
