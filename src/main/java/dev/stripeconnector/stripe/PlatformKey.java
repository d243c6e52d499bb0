package dev.stripeconnector.stripe;

/**
 * What Stripe says a platform secret key belongs to: the platform's own account ({@code acct_…}),
 * or null when the key works but may not read the account (a restricted key without that
 * permission), and its mode.
 */
public record PlatformKey(String accountId, StripeKeys.Mode mode) {
}
