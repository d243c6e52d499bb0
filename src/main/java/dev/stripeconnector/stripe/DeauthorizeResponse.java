package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Stripe's answer to a successful {@code POST /oauth/deauthorize}: the account it disconnected. */
@io.quarkus.runtime.annotations.RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record DeauthorizeResponse(@JsonProperty("stripe_user_id") String stripeUserId) {
}
