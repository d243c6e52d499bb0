package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which kind of Stripe account the OAuth flow connects: Standard or Express. */
public enum AccountType {
    STANDARD, EXPRESS;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static AccountType fromJson(String value) {
        for (AccountType type : values()) {
            if (type.json().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("must be standard or express");
    }
}
