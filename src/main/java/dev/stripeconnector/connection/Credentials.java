package dev.stripeconnector.connection;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What another service needs to call Stripe as the connected account. The only answer of the
 * API that carries a token.
 */
public record Credentials(String stripeUserId, Boolean livemode, @Schema(nullable = true) String scope, @Schema(nullable = true) String publishableKey, String accessToken) {

    @Override
    public String toString() {
        return "Credentials[stripeUserId=" + stripeUserId + ", accessToken=****]";
    }
}
