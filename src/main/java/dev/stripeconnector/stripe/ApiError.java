package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Stripe's API error body: {@code {"error": {"type", "code", "message", …}}}. */
// Read and written with Jackson outside of Quarkus REST: registered for the native image.
@io.quarkus.runtime.annotations.RegisterForReflection(targets = {ApiError.class, ApiError.Detail.class})
@JsonIgnoreProperties(ignoreUnknown = true)
record ApiError(@JsonProperty("error") Detail error) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Detail(@JsonProperty("type") String type, @JsonProperty("code") String code, @JsonProperty("message") String message) {
    }
}
