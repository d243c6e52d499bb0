package dev.stripeconnector.account;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an installation stands with Stripe. */
public enum ConnectorStatus {
    /** Installed, not (yet) connected to a Stripe account. */
    PENDING,
    /** Connected: tokens are stored and usable. */
    CONNECTED,
    /** The Stripe account disconnected the platform, or Stripe revoked the access. */
    REVOKED,
    /** The last attempt to connect or refresh failed; {@code lastError} says why. */
    ERROR;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public static ConnectorStatus parse(String value) {
        for (ConnectorStatus status : values()) {
            if (status.json().equals(value)) {
                return status;
            }
        }
        return null;
    }
}
