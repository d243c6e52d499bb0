package dev.stripeconnector.common;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an effective value comes from: the partner's console setup or the account's own override. */
public enum Source {
    CONSOLE, ACCOUNT;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }
}
