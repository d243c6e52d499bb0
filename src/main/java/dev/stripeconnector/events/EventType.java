package dev.stripeconnector.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * What happened: one type per change of an installation, one for a change of the console setup, and one for
 * Stripe's events about an installation's connected account.
 */
public enum EventType {
    INSTALLATION_CREATED("installation.created"),
    /** A connection was made: the first one, a re-authorization, or a verify that found the access working again. */
    INSTALLATION_CONNECTED("installation.connected"),
    INSTALLATION_REFRESHED("installation.refreshed"),
    /** The platform lost access: Stripe's deauthorization (tokens wiped), or a verify Stripe answered with no access. */
    INSTALLATION_REVOKED("installation.revoked"),
    /** A refused code or refresh token (reconnect needed), a rejected platform key, a missing permission. */
    INSTALLATION_ERROR("installation.error"),
    /** The partner disconnected the installation and kept it: the connection is gone, a new link can be made. */
    INSTALLATION_DISCONNECTED("installation.disconnected"),
    INSTALLATION_REMOVED("installation.removed"),
    /** The account's own client ID, secret key or webhook secret changed (never their values). */
    INSTALLATION_CREDENTIALS_CHANGED("installation.credentials_changed"),
    /** The console setup changed: one event, not one per installation. */
    CONNECTOR_SETTINGS_CHANGED("connector.settings_changed"),
    /**
     * Stripe sent the platform an event of the installation's connected account (charge.succeeded, account.updated, …):
     * forwarded to the subscriptions whose Stripe event types match it.
     */
    STRIPE_EVENT("stripe.event");

    /** A subscription to every type, present and future. */
    public static final String ALL = "*";

    private final String name;

    EventType(String name) {
        this.name = name;
    }

    @JsonValue
    public String json() {
        return name;
    }

    public static EventType parse(String value) {
        for (EventType type : values()) {
            if (type.name.equals(value)) {
                return type;
            }
        }
        return null;
    }

    @JsonCreator
    static EventType fromJson(String value) {
        EventType type = parse(value);
        if (type == null) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", names()));
        }
        return type;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(EventType::json).toList();
    }
}
