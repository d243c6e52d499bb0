package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The access a platform asks for when an account connects. */
public enum Scope {
    READ_WRITE, READ_ONLY;

    @JsonValue
    public String stripeValue() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static Scope fromStripe(String value) {
        for (Scope scope : values()) {
            if (scope.stripeValue().equals(value)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("must be read_write or read_only");
    }
}
