package dev.stripeconnector.crypto;

import java.util.Objects;

/**
 * A secret value in memory (a Stripe secret key or token). It is encrypted whenever it is
 * stored ({@link SecretConverter}) and masked whenever it is printed: only {@link #reveal()}
 * gives the value, and only code that must send it to Stripe calls it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    /** The last four characters, as Stripe's dashboard shows them, so a person can tell keys apart. */
    public String last4() {
        return value.length() <= 4 ? "" : value.substring(value.length() - 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
