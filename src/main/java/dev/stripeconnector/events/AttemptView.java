package dev.stripeconnector.events;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One delivery attempt, newest first in a subscription's recent attempts. */
@Schema(name = "EventDeliveryAttempt")
public record AttemptView(
        @Schema(required = true) UUID eventId,
        @Schema(required = true) String eventType,
        @Schema(required = true, description = "1 for the first attempt of a delivery") int attempt,
        @Schema(required = true) Instant attemptedAt,
        @Schema(required = true) DeliveryAttempt.Outcome outcome,
        @Schema(nullable = true, description = "The receiver's HTTP status; null when it gave none") Integer httpStatus,
        @Schema(required = true, description = "How long the attempt took (latency), connecting included") int durationMs,
        @Schema(nullable = true, description = "Why it failed: the status, a refused address, no answer in time, TLS…") String error,
        @Schema(nullable = true, implementation = String.class, format = "date-time", description = "When it is retried (outcome retrying)")
        Instant nextAttemptAt) {
}
