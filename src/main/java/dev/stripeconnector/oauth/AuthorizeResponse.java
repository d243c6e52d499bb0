package dev.stripeconnector.oauth;

import java.time.Instant;

/**
 * @param authorizeUrl Stripe's authorize URL for this installation, with its state
 * @param setupUrl     a single-use link to send to a person; it redirects to {@code authorizeUrl}
 * @param expiresAt    when both stop working
 */
public record AuthorizeResponse(String authorizeUrl, String setupUrl, Instant expiresAt) {
}
