package dev.stripeconnector.connection;

/**
 * What another service needs to call Stripe as the connected account. The only answer of the
 * API that carries a token.
 */
public record Credentials(String stripeUserId, Boolean livemode, String scope, String publishableKey, String accessToken) {

    @Override
    public String toString() {
        return "Credentials[stripeUserId=" + stripeUserId + ", accessToken=****]";
    }
}
