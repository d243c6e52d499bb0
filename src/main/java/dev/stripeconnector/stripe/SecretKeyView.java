package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.crypto.Secret;

/** What the API shows of a secret key: whether it is set, its last four characters and its mode, never the value. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeyView(boolean set, String last4, StripeKeys.Mode mode, Source source) {

    public static SecretKeyView of(Secret secret, Source source) {
        if (secret == null) {
            return new SecretKeyView(false, null, null, null);
        }
        return new SecretKeyView(true, secret.last4(), StripeKeys.modeOf(secret.reveal()), source);
    }
}
