package dev.stripeconnector.oauth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/accounts/{accountId}/connector/authorize}; every field is optional.
 *
 * @param returnUrl             where the person's browser goes after the callback; must start with an allowed prefix
 * @param scope                 {@code read_write} or {@code read_only}; default: the console's default scope
 * @param stripeLanding         {@code login} or {@code register}: which Stripe page the person lands on
 * @param alwaysPrompt          ask the person to choose an account even when already signed in to one
 * @param stripeUser            prefill of Stripe's form, by Stripe's field names ({@code email}, {@code business_name}, …)
 * @param accountType           {@code standard} or {@code express}; default: the console's account type
 * @param suggestedCapabilities Express only: capabilities to suggest, e.g. {@code card_payments}, {@code transfers}
 */
public record AuthorizeRequestBody(
        String returnUrl,
        Scope scope,
        Landing stripeLanding,
        Boolean alwaysPrompt,
        Map<String, String> stripeUser,
        AccountType accountType,
        List<String> suggestedCapabilities) {

    static final AuthorizeRequestBody EMPTY = new AuthorizeRequestBody(null, null, null, null, null, null, null);

    /** Stripe's {@code stripe_landing}. */
    public enum Landing {
        LOGIN, REGISTER;

        @JsonValue
        public String stripeValue() {
            return name().toLowerCase();
        }

        @JsonCreator
        public static Landing fromStripe(String value) {
            for (Landing landing : values()) {
                if (landing.stripeValue().equals(value)) {
                    return landing;
                }
            }
            throw new IllegalArgumentException("must be login or register");
        }
    }
}
