package dev.stripeconnector.events;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One event for one subscription: where its delivery stands. */
@Schema(name = "EventDelivery")
public record DeliveryView(
        @Schema(required = true) UUID subscriptionId,
        @Schema(required = true) UUID eventId,
        @Schema(required = true) String eventType,
        @Schema(required = true) EventDelivery.Status status,
        @Schema(required = true, description = "Attempts made since it was queued (or queued again)") int attempts,
        @Schema(nullable = true, implementation = String.class, format = "date-time", description = "While pending: when it is tried next")
        Instant nextAttemptAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant lastAttemptAt,
        @Schema(nullable = true, description = "The receiver's status at the last attempt") Integer lastStatus,
        @Schema(nullable = true, description = "Why the last attempt failed") String lastError,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant deliveredAt) {

    static DeliveryView of(EventDelivery delivery, String eventType) {
        return new DeliveryView(delivery.subscriptionId, delivery.eventId, eventType, delivery.status, delivery.attempts,
                delivery.status == EventDelivery.Status.PENDING ? delivery.nextAttemptAt : null, delivery.lastAttemptAt,
                delivery.lastStatus, delivery.lastError, delivery.deliveredAt);
    }
}
