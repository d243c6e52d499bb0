package dev.stripeconnector.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An event as it is delivered (signed) and listed: the same JSON document both ways. It carries what a
 * consumer needs to act, never a secret or a token.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Event", description = "A change of an installation, or of the console setup, or Stripe's event of an installation's"
        + " connected account (stripe.event)")
public record Event(
        @Schema(required = true, format = "uuid", description = "Unique: a receiver drops a delivery whose id it has seen") String id,
        @Schema(required = true, implementation = EventType.class) String type,
        @Schema(required = true, description = "The payload's version; a new version may add fields, never change them", example = "1")
        int version,
        @Schema(required = true, format = "date-time") String createdAt,
        @Schema(description = "The account of the installation; absent for connector.settings_changed") String accountId,
        @Schema(format = "uuid", description = "The installation; absent for connector.settings_changed. A new installation of the same"
                + " account has a new id") String installationId,
        @Schema(required = true, description = "1, 2, 3… per installation (connector.settings_changed: per console setup;"
                + " stripe.event: per installation, a count of its own), without gaps: a gap means an event was missed", example = "3") long sequence,
        @Schema(required = true) EventData data) {

    /** The current payload version. */
    public static final int VERSION = 1;

    /** What changed, and the installation (or console setup) as it is after the change. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "EventData")
    public record EventData(
            @Schema(description = "The installation's status after the change", enumeration = {"pending", "needs_credentials", "connected",
                    "revoked", "disconnected", "error", "removed"}) String status,
            @Schema(description = "Its status before the change") String previousStatus,
            @Schema(description = "Why: connected (authorized, reauthorized, verified), revoked (deauthorized, access_revoked),"
                    + " error (its code), disconnected (disconnected; disconnected_here: forced, Stripe did not"
                    + " confirm), removed (disconnected, removed)") String cause,
            @Schema(description = "The connected Stripe account (stripe.event: the account the Stripe event is about)") String stripeUserId,
            Boolean livemode,
            String scope,
            @Schema(description = "The installation's last error, when it has one") ErrorData error,
            @Schema(description = "credentials_changed and settings_changed: the fields that changed (never their values)") List<String> changed,
            @Schema(description = "disconnected and removed: whether Stripe confirmed the disconnect") Boolean stripeNotified,
            @Schema(description = "settings_changed: the console's client ID") String clientId,
            @Schema(description = "settings_changed: whether the console has a secret key") Boolean secretKeySet,
            @Schema(description = "settings_changed: test or live, when the console has a secret key") String secretKeyMode,
            @Schema(description = "settings_changed") String defaultScope,
            @Schema(description = "settings_changed") String accountType,
            @Schema(description = "stripe.event: the Stripe event's id (evt_…), the same in every delivery of it", example = "evt_1PqRsT2eZvKYlo2C")
            String stripeEventId,
            @Schema(description = "stripe.event: the Stripe event's type", example = "charge.succeeded") String stripeEventType,
            @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "stripe.event: the event's data.object as Stripe sent it, the value of each"
                    + " of its secrets (client_secret, secret…) replaced by \"redacted\"")
            String object) {

        public static EventData installation(String status, String previousStatus, String cause, String stripeUserId, Boolean livemode,
                                             String scope, ErrorData error) {
            return new EventData(status, previousStatus, cause, stripeUserId, livemode, scope, error, null, null, null, null, null, null, null,
                    null, null, null);
        }

        public EventData withChanged(List<String> fields) {
            return new EventData(status, previousStatus, cause, stripeUserId, livemode, scope, error, fields, stripeNotified, clientId,
                    secretKeySet, secretKeyMode, defaultScope, accountType, stripeEventId, stripeEventType, object);
        }

        public EventData withStripeNotified(boolean notified) {
            return new EventData(status, previousStatus, cause, stripeUserId, livemode, scope, error, changed, notified, clientId,
                    secretKeySet, secretKeyMode, defaultScope, accountType, stripeEventId, stripeEventType, object);
        }

        public static EventData settings(List<String> changed, String clientId, boolean secretKeySet, String secretKeyMode,
                                         String defaultScope, String accountType) {
            return new EventData(null, null, null, null, null, null, null, changed, null, clientId, secretKeySet, secretKeyMode,
                    defaultScope, accountType, null, null, null);
        }

        /**
         * A Stripe event of the installation's connected account {@code stripeUserId}: its id and type, and its
         * {@code data.object} as the raw JSON text Stripe sent (its secrets already replaced), so that it reaches the subscriber
         * unchanged.
         */
        public static EventData stripeEvent(String stripeUserId, Boolean livemode, String stripeEventId, String stripeEventType,
                                            String rawObject) {
            return new EventData(null, null, null, stripeUserId, livemode, null, null, null, null, null, null, null, null, null,
                    stripeEventId, stripeEventType, rawObject);
        }
    }

    @Schema(name = "EventError")
    public record ErrorData(@Schema(required = true, example = "invalid_grant") String code,
                            @Schema(nullable = true) String description) {
    }
}
