package dev.stripeconnector.account;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an installation stands with Stripe. */
public enum ConnectorStatus {
    /** Installed, not (yet) connected to a Stripe account. */
    PENDING,
    /**
     * Shown, never stored: a pending installation that still lacks a client ID or secret key
     * (neither the account nor the console provides it); its install link asks the account.
     */
    NEEDS_CREDENTIALS,
    /** Connected: tokens are stored and usable. */
    CONNECTED,
    /** The Stripe account disconnected the platform, or Stripe revoked the access. */
    REVOKED,
    /**
     * The partner disconnected it (Stripe confirmed, or was not told when forced): the tokens and the
     * connection are gone, the installation and the account's own values stay, and a new link can be made.
     */
    DISCONNECTED,
    /** The last attempt to connect or refresh failed; {@code lastError} says why. */
    ERROR;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    /** The stored status a shown one comes from (the view {@code installation_state} decides which is shown). */
    public ConnectorStatus stored() {
        return this == NEEDS_CREDENTIALS ? PENDING : this;
    }

    /** Every status as the API names it, in order, for messages that list them. */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(ConnectorStatus::json).toList());
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
