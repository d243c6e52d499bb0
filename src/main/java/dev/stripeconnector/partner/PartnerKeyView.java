package dev.stripeconnector.partner;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the operator API shows of a partner's API key: never the key, never its hash. */
@Schema(name = "PartnerApiKey")
public record PartnerKeyView(
        @Schema(required = true, implementation = String.class, format = "uuid") UUID id,
        @Schema(required = true, example = "acme") String partnerId,
        @Schema(required = true, example = "billing-service") String name,
        @Schema(required = true, example = "sck_acme_Q3vZ", description = "the key's first characters, to recognise it by (not a secret)")
        String prefix,
        @Schema(required = true, description = "api, credentials-reader, admin") List<String> roles,
        @Schema(required = true, enumeration = {"active", "expired", "revoked"}) String status,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant createdAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "recorded at most once a minute") Instant lastUsedAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant expiresAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant revokedAt,
        @Schema(nullable = true, implementation = String.class, format = "uuid", description = "the key a rotation issued in its place") UUID replacedBy) {

    static PartnerKeyView of(PartnerKeys.Row key, Instant now) {
        String status = key.revokedAt() != null ? "revoked"
                : key.expiresAt() != null && !key.expiresAt().isAfter(now) ? "expired" : "active";
        return new PartnerKeyView(key.id(), key.partnerId().value(), key.name(), key.prefix(), key.roles(), status, key.createdAt(),
                key.lastUsedAt(), key.expiresAt(), key.revokedAt(), key.replacedBy());
    }
}
