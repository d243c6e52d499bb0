package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Stripe's API error body: {@code {"error": {"type", "code", "message", …}}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ApiError(@JsonProperty("error") Detail error) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Detail(@JsonProperty("type") String type, @JsonProperty("code") String code, @JsonProperty("message") String message) {
    }
}
