package dev.stripeconnector.oauth;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * @param authorizeUrl          Stripe's authorize URL for this installation, with its state; null while
 *                              the installation needs credentials (the setup link asks for them first)
 * @param authorizeUrlExpiresAt when the authorize URL stops working (minutes); null with it
 * @param setupUrl              the single-use install link to send to a person: it asks for what is
 *                              missing, if anything, then goes on to Stripe
 * @param expiresAt             when the install link stops working (days)
 * @param missing               what the link will ask the account for ({@code clientId}, {@code clientSecret})
 */
public record AuthorizeResponse(
        @Schema(nullable = true) String authorizeUrl,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant authorizeUrlExpiresAt,
        String setupUrl,
        Instant expiresAt,
        List<String> missing) {
}
