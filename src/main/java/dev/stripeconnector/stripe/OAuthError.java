package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Stripe's OAuth error body: {@code {"error": "invalid_grant", "error_description": "…"}}. */
// Read and written with Jackson outside of Quarkus REST: registered for the native image.
@io.quarkus.runtime.annotations.RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record OAuthError(@JsonProperty("error") String error, @JsonProperty("error_description") String description) {
}
