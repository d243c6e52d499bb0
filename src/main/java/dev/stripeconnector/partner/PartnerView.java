package dev.stripeconnector.partner;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the operator API shows of a partner. */
@Schema(name = "Partner", description = "A partner of the platform: the root of its settings, installations, keys, users and events")
public record PartnerView(
        @Schema(required = true, pattern = PartnerId.PATTERN, example = "acme") String id,
        @Schema(required = true, example = "Acme Integrations") String name,
        @Schema(required = true, enumeration = {"active", "disabled"},
                description = "disabled: none of the partner's keys, users, links or callbacks work; its data stays") String status,
        @Schema(required = true, example = "stripe.acme.example",
                description = "host[:port] of the partner's pages and callback; partner default's is the configured CONNECTOR_SERVICE_DOMAIN")
        String serviceDomain,
        @Schema(required = true, example = "https://stripe.acme.example/connector/callback",
                description = "the redirect URI the partner registers in its Stripe Connect settings") String redirectUri,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant createdAt,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant updatedAt) {
}
