package dev.stripeconnector.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.stripe.StripeKeys;

/** What the API shows of a secret key: whether it is set, its last four characters and its mode, never the value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretView(boolean set, String last4, StripeKeys.Mode mode, Source source) {

    public static SecretView of(Secret secret, Source source) {
        if (secret == null) {
            return new SecretView(false, null, null, null);
        }
        return new SecretView(true, secret.last4(), StripeKeys.modeOf(secret.reveal()), source);
    }
}
