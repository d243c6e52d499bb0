package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stripeconnector.crypto.Secret;

/** Stripe's answer to a successful {@code POST /oauth/token}. Tokens stay {@link Secret}s. */
// Read and written with Jackson outside of Quarkus REST: registered for the native image.
@io.quarkus.runtime.annotations.RegisterForReflection(targets = {TokenResponse.class, dev.stripeconnector.crypto.Secret.class})
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenResponse(
        @JsonProperty("access_token") Secret accessToken,
        @JsonProperty("refresh_token") Secret refreshToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("stripe_publishable_key") String publishableKey,
        @JsonProperty("stripe_user_id") String stripeUserId,
        @JsonProperty("scope") String scope,
        @JsonProperty("livemode") Boolean livemode) {

    boolean complete() {
        return accessToken != null && stripeUserId != null && livemode != null;
    }
}
