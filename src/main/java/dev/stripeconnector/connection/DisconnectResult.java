package dev.stripeconnector.connection;

/**
 * The answer of {@code DELETE /api/v1/accounts/{accountId}/connector}.
 *
 * @param removed        the installation and its secrets are gone
 * @param stripeNotified Stripe confirmed the deauthorization (or already had it)
 * @param detail         what happened, in words
 */
public record DisconnectResult(String accountId, boolean removed, boolean stripeNotified, String detail) {
}
