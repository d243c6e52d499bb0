package dev.stripeconnector.events;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a test event came to: the receiver's answer, as a delivery attempt names it. Not stored: a test event is not of the feed. */
@Schema(name = "EventTestDelivery")
public record TestDeliveryView(
        @Schema(required = true, description = "The test event's id (also in Stripe-Connector-Event-Id)") UUID eventId,
        @Schema(required = true, description = "Always connector.test") String eventType,
        @Schema(required = true) Instant sentAt,
        @Schema(required = true, description = "Whether the receiver answered 2xx") boolean delivered,
        @Schema(nullable = true, description = "The receiver's HTTP status; null when it gave none") Integer httpStatus,
        @Schema(nullable = true, description = "Why it was not taken: the status, a refused address, no answer in time, TLS…") String error,
        @Schema(required = true, description = "How long the request took (latency), connecting included") long durationMs) {

    static TestDeliveryView of(TestEvents.Sent sent) {
        return new TestDeliveryView(sent.eventId(), TestEvents.TYPE, sent.sentAt(), sent.delivered(), sent.outcome().status(),
                sent.outcome().error(), sent.outcome().durationMillis());
    }
}
